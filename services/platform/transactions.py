"""Write transactions that hold the database's write lock before they read.

A rule like "at most 24 h per day" reads (the day's total) and then writes (the new entry). Two
requests doing that at once must not both read the old total. PostgreSQL: the service locks a
row first (``SELECT ... FOR UPDATE``). SQLite has one writer at a time, but its driver opens the
transaction lazily, so both requests read before either holds the lock; ``begin_write()``
starts the transaction with ``BEGIN IMMEDIATE`` instead (the ``begin`` hook in
``wiring/sqlite.py`` reads ``WRITE_LOCK``), so the second request waits there, before its read.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.exc import OperationalError

from extensions import db
from models import User

# Execution option asking the SQLite engine to open the transaction with BEGIN IMMEDIATE.
WRITE_LOCK = "timesheet_write_lock"

T = TypeVar("T")


class DatabaseBusy(RuntimeError):
    """The write lock was not free within the busy timeout (another writer held it too long)."""


def begin_write() -> None:
    """On SQLite, start a new transaction that holds the write lock from its first statement.

    The session's current transaction (reads only, e.g. loading the signed-in user) is ended
    first: SQLite cannot turn a reading transaction into a locked one without risking a stale
    read. Objects already loaded are expired and reload inside the new transaction. Elsewhere
    (PostgreSQL) this does nothing: lock a row instead.
    """
    session = db.session()  # the Session itself (the scoped proxy lacks in_transaction)
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() would drop unsaved changes: call it before changing")
    if session.in_transaction():
        if session.connection().get_execution_options().get(WRITE_LOCK):
            return  # this transaction holds the lock already
        session.rollback()
    try:
        session.connection(execution_options={WRITE_LOCK: True})
    except OperationalError as error:
        session.rollback()
        if "locked" in str(error.orig) or "busy" in str(error.orig):
            raise DatabaseBusy(str(error.orig)) from error
        raise


def lock_writes_of(user_id: int) -> None:
    """Serialize one user's writes before anything the rules depend on is read: the user's row
    (``SELECT ... FOR UPDATE``) on PostgreSQL, the write lock (:func:`begin_write`) on SQLite.
    Entry writes and week approvals take this same lock, so the two cannot overlap. Raises
    DatabaseBusy when SQLite's lock stays taken; the caller words the error for its user."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
        return
    begin_write()


def holds_write_lock() -> bool:
    """Whether the session's current transaction was opened by :func:`begin_write` (SQLite)."""
    session = db.session()
    return session.in_transaction() and bool(
        session.connection().get_execution_options().get(WRITE_LOCK)
    )


def locked(query: Select[T], *of: Any) -> Select[T]:
    """``query`` reading rows the caller is about to change after checking them (an ``If-Match``
    precondition, say): ``FOR UPDATE`` of ``of`` on PostgreSQL (a second writer waits for this
    one's commit and then reads the new row), the write lock first on SQLite (which ignores
    ``FOR UPDATE``)."""
    begin_write()
    return query.with_for_update(of=list(of) or None)
