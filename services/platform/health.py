"""What /healthz reports."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from extensions import db


def database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def is_outage(error: DBAPIError) -> bool:
    """True when ``error`` means the database is unreachable, restarting or dropped the
    connection (retrying later will work), False for a mistake in a statement.

    PostgreSQL's OperationalError is exactly that (connection failures, admin shutdown, too many
    connections). SQLite's also covers "no such table", a bug that must stay a 500: there only a
    busy or locked database counts."""
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    if type(error.orig).__module__.startswith("sqlite3"):
        message = str(error.orig).lower()
        return "locked" in message or "busy" in message
    return True
