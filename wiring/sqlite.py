"""SQLite connection settings, applied by the factory to every SQLite engine it creates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


def configure_sqlite(engine: Engine) -> None:
    """SQLite ignores foreign keys unless asked, per connection; WAL lets the worker write while
    the web app reads. Other databases are left alone."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
