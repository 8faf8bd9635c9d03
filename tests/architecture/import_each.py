"""Import each named module in a child process that has no project module loaded yet, and record
what the import did besides defining names.

Run as ``python import_each.py MODULE ...``; prints one JSON object: module -> {"error": traceback
or null, "effects": [...]}. An effect is one of: a Flask app built, an extension bound to an app
(``init_app``), a Celery app built, a folder made, a file opened for writing, a database or
network connection opened. Each effect names whether it happened inside ``create_app()`` (the
entry points ``run.py`` and ``celery_worker.py`` build their app there by design, the worker also
its Celery app through ``app.py:build_celery``; no other module may do any of it at import).

Third-party libraries are imported once, here, before forking: they cannot take part in a cycle
of ours, and loading them once per module made the check take minutes. Every child starts with
no module of the project in ``sys.modules``, so each module is the first of ours to load, as in a
fresh interpreter.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import traceback
import warnings
from typing import Any

THIRD_PARTY = (
    "flask",
    "flask_sqlalchemy",
    "flask_migrate",
    "flask_login",
    "flask_wtf",
    "wtforms",
    "sqlalchemy",
    "sqlalchemy.orm",
    "alembic",
    "celery",
    "kombu",
    "werkzeug",
    "itsdangerous",
    "jinja2",
    "click",
    "email_validator",
    "psycopg",
)
# The factories in app.py: create_app, and build_celery, which app.extensions["celery"] runs on
# first read (celery_worker.py reads it at import; a web process when it sends a task).
FACTORIES = ("create_app", "build_celery")
# os.open flags and open() modes that create or change a file.
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def inside_factory() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name in FACTORIES and frame.f_globals.get("__name__") == "app":
            return True
        frame = frame.f_back
    return False


class EffectRecorder:
    """Installed in the child only (after the fork), so the parent stays untouched."""

    def __init__(self) -> None:
        self.effects: list[dict[str, Any]] = []
        self.armed = False

    def record(self, kind: str, detail: str) -> None:
        if self.armed:
            self.effects.append({"kind": kind, "detail": detail, "in_factory": inside_factory()})

    def wrap(self, cls: type, method: str, kind: str) -> None:
        original = getattr(cls, method)

        @functools.wraps(original)
        def recording(obj: Any, *args: Any, **kwargs: Any) -> Any:
            self.record(kind, type(obj).__name__)
            return original(obj, *args, **kwargs)

        setattr(cls, method, recording)

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.armed:
            return
        if event == "os.mkdir":
            self.record("folder made", str(args[0]))
        elif event == "open" and _writes(args):
            self.record("file written", str(args[0]))
        elif event == "sqlite3.connect":
            self.record("database connection", f"sqlite3 {args[0]}")
        elif event == "socket.connect":
            self.record("network connection", str(args[1]))

    def install(self) -> None:
        import celery
        import flask
        import flask_login
        import flask_migrate
        import flask_sqlalchemy
        import flask_wtf
        from sqlalchemy import event
        from sqlalchemy.pool import Pool

        sys.dont_write_bytecode = True  # the import system's own .pyc files are not our effects
        self.wrap(flask.Flask, "__init__", "Flask app built")
        self.wrap(celery.Celery, "__init__", "Celery app built")
        for extension in (
            flask_sqlalchemy.SQLAlchemy,
            flask_migrate.Migrate,
            flask_login.LoginManager,
            flask_wtf.CSRFProtect,
        ):
            self.wrap(extension, "init_app", "extension bound")
        event.listen(
            Pool,
            "connect",
            lambda _dbapi, _record: self.record("database connection", "SQLAlchemy pool"),
        )
        with contextlib.suppress(ImportError):
            import psycopg  # libpq connects in C, below the socket audit events

            original_connect = psycopg.connect

            def connect(*args: Any, **kwargs: Any) -> Any:
                self.record("database connection", "psycopg")
                return original_connect(*args, **kwargs)

            psycopg.connect = connect
        sys.addaudithook(self.audit)
        self.armed = True


def _writes(args: tuple[Any, ...]) -> bool:
    path, mode, flags = args
    if path is None or isinstance(path, int):
        return False
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return bool(flags & WRITE_FLAGS)


def import_in_child(module: str) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: import, report, exit without running the parent's cleanup
        os.close(read_end)
        error = ""
        recorder = EffectRecorder()
        try:
            warnings.simplefilter("error")
            recorder.install()
            __import__(module)
        except BaseException:
            error = traceback.format_exc(limit=-3).strip()
        recorder.armed = False
        report = json.dumps({"error": error or None, "effects": recorder.effects})
        with os.fdopen(write_end, "w") as out:
            out.write(report)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        report = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(report)


def main(modules: list[str]) -> None:
    for name in THIRD_PARTY:
        with contextlib.suppress(ImportError):
            __import__(name)
    ours = {m.split(".")[0] for m in modules}
    assert not ours & {m.split(".")[0] for m in sys.modules}, "a project module was pre-imported"
    print(json.dumps({module: import_in_child(module) for module in modules}))


if __name__ == "__main__":
    main(sys.argv[1:])
