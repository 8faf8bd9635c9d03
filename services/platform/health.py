"""What /healthz reports."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

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
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True  # InterfaceError: psycopg's "the connection is closed / lost"
    if not isinstance(error, OperationalError):
        return False
    if type(error.orig).__module__.startswith("sqlite3"):
        message = str(error.orig).lower()
        return "locked" in message or "busy" in message
    return True


def outage_behind(error: BaseException | None) -> DBAPIError | None:
    """The database outage that caused ``error`` (followed through ``__cause__`` and
    ``__context__``), if any: e.g. "this session's transaction has been rolled back" after a flush
    that failed because the server went away."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DBAPIError) and is_outage(error):
            return error
        error = error.__cause__ or error.__context__
    return None
