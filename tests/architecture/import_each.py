"""Import each named module in a child process that has no project module loaded yet.

Run as ``python import_each.py MODULE ...``; prints one JSON object: module -> error or null.
Third-party libraries are imported once, here, before forking: they cannot take part in a cycle
of ours, and loading them once per module made the check take minutes. Every child starts with
no module of the project in ``sys.modules``, so each module is the first of ours to load, as in a
fresh interpreter.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
import warnings

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
)


def import_in_child(module: str) -> str | None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: import, report, exit without running the parent's cleanup
        os.close(read_end)
        error = ""
        try:
            warnings.simplefilter("error")
            __import__(module)
        except BaseException:
            error = traceback.format_exc(limit=-3).strip()
        with os.fdopen(write_end, "w") as out:
            out.write(error)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        error = pipe.read()
    os.waitpid(pid, 0)
    return error or None


def main(modules: list[str]) -> None:
    for name in THIRD_PARTY:
        with contextlib.suppress(ImportError):
            __import__(name)
    ours = {m.split(".")[0] for m in modules}
    assert not ours & {m.split(".")[0] for m in sys.modules}, "a project module was pre-imported"
    print(json.dumps({module: import_in_child(module) for module in modules}))


if __name__ == "__main__":
    main(sys.argv[1:])
