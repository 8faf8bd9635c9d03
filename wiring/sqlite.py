"""SQLite connection settings, applied by the factory to every SQLite engine it creates."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from sqlalchemy import Connection, Engine, event
from werkzeug.exceptions import ServiceUnavailable

from services.platform.transactions import WRITE_LOCK, DatabaseBusy, begin_write

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    """Per connection: foreign keys on (SQLite ignores them unless asked); WAL (the worker
    writes while the web app reads); a busy timeout in seconds (a second writer waits for the
    lock instead of failing at once with "database is locked"); and transactions begun by
    SQLAlchemy, not by the driver (SQLAlchemy's documented pysqlite recipe): the driver would
    send BEGIN only at the first INSERT, after the reads a rule depends on. ``BEGIN IMMEDIATE``
    when the connection carries the ``WRITE_LOCK`` option
    (``services/platform/transactions.py:begin_write``). Other databases are left alone."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN from the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_LOCK):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def lock_writing_requests(app: Flask) -> None:
    """A request that may write (POST and the like) takes SQLite's write lock at its first
    statement. Its transaction reads first (the signed-in user, the checks) and SQLite cannot
    upgrade a read whose snapshot another writer has made stale: that write would fail at once
    with "database is locked" instead of waiting. GET requests read without a lock. A lock not
    free within the busy timeout answers 503 (the error page says nothing was saved)."""

    @app.before_request
    def _write_lock_for_unsafe_methods() -> None:
        if request.method in READ_ONLY_METHODS:
            return
        try:
            begin_write()
        except DatabaseBusy:
            raise ServiceUnavailable(
                "The database is busy with another change. Nothing was saved: please try again."
            ) from None
