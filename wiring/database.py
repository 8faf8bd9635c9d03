"""Ending each app context's database session even when the server has just dropped the
connection.

Used by ``app.py`` only.
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from extensions import db

log = logging.getLogger(__name__)


def end_session_safely(_error: BaseException | None = None) -> None:
    """Flask-SQLAlchemy ends the session at teardown with a ROLLBACK; on a connection PostgreSQL
    has just terminated (restart, failover) that ROLLBACK raises, and a request whose answer was
    already made would become a 500. Here the session is ended first: a failed rollback
    invalidates the connection instead (the pool replaces it), and nothing is raised."""
    try:
        db.session.remove()
    except SQLAlchemyError as exc:
        log.warning("database connection lost at the end of a request: %s", exc)
        try:
            db.session().invalidate()
        finally:
            db.session.registry.clear()


def init_app(app: Flask) -> None:
    # Teardown functions run last-registered first: this one runs before Flask-SQLAlchemy's.
    app.teardown_appcontext(end_session_safely)
