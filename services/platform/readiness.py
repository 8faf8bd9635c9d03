"""What ``/readyz`` checks: can this process serve real work right now?

Four checks, run side by side, each given ``READINESS_TIMEOUT`` seconds (2 by default):

- ``database``: ``SELECT 1``;
- ``migrations``: the database's Alembic revision is the newest one in ``migrations/versions``
  (``flask db upgrade`` was run); once true it is remembered for
  ``READINESS_MIGRATIONS_CACHE_SECONDS``, since it only changes with a deployment;
- ``broker``: a connection to the Celery broker, opened with a short timeout;
- ``worker``: a worker wrote its heartbeat within ``WORKER_HEARTBEAT_MAX_AGE`` seconds (see
  ``heartbeat.py``).

Each answers "ok" or a short reason. A check still running at the deadline is reported as such
and left to finish in its thread (its own socket timeouts end it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from flask import Flask, current_app
from sqlalchemy import text

from extensions import db
from models.columns import utcnow
from services.platform.heartbeat import latest_heartbeat

OK = "ok"
CACHE_KEY = "timesheet.readiness"


def check_database() -> str:
    db.session.execute(text("SELECT 1"))
    return OK


def check_migrations() -> str:
    from alembic.runtime.migration import MigrationContext

    cache = current_app.extensions.setdefault(CACHE_KEY, {})
    if cache.get("migrations_ok_until", 0.0) > time.monotonic():
        return OK
    if "heads" not in cache:  # the files do not change while the process runs
        cache["heads"] = code_heads(current_app)
    with db.engine.connect() as connection:
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    if current != cache["heads"]:
        have = ", ".join(sorted(current)) or "none"
        return f"database at revision {have}, code at {', '.join(sorted(cache['heads']))}"
    wait = float(current_app.config["READINESS_MIGRATIONS_CACHE_SECONDS"])
    cache["migrations_ok_until"] = time.monotonic() + wait
    return OK


def code_heads(app: Flask) -> frozenset[str]:
    """The newest revisions in migrations/versions (loads Alembic and Flask-Migrate: a web
    process does so on first use, wiring/on_first_use.py)."""
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def prepare(app: Flask) -> None:
    """Once per process, before the clock starts: load what the migrations check needs. Alembic
    loads on first use, and its import (a third of a second, seconds on a busy machine) is not
    what the deadline is for (I/O that hangs)."""
    cache = app.extensions.setdefault(CACHE_KEY, {})
    if "heads" not in cache:
        import alembic.runtime.migration  # noqa: F401

        with app.app_context():
            cache["heads"] = code_heads(app)


def check_broker() -> str:
    celery_app = current_app.extensions["celery"]
    timeout = float(current_app.config["READINESS_TIMEOUT"])
    with celery_app.connection_for_write(connect_timeout=timeout) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)
        connection.default_channel  # noqa: B018  (opens the channel: a real round trip)
    return OK


def check_worker() -> str:
    seen = latest_heartbeat()
    if seen is None:
        return "no worker has sent a heartbeat yet"
    age = (utcnow() - seen).total_seconds()
    if age > float(current_app.config["WORKER_HEARTBEAT_MAX_AGE"]):
        return f"last worker heartbeat {age:.0f} s ago"
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
    "worker": check_worker,
}


def _run(app: Flask, check: Callable[[], str]) -> str:
    with app.app_context():
        try:
            return check()
        except Exception as exc:
            db.session.rollback()
            return f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


def run_checks() -> dict[str, str]:
    """Every check's answer by name, within READINESS_TIMEOUT seconds in all."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    timeout = float(app.config["READINESS_TIMEOUT"])
    prepare(app)
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    futures: dict[str, Any] = {name: pool.submit(_run, app, fn) for name, fn in CHECKS.items()}
    deadline = time.monotonic() + timeout
    results: dict[str, str] = {}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            results[name] = f"no answer within {timeout:g} s"
    pool.shutdown(wait=False)
    return results
