"""The 24 h daily limit holds with two real concurrent writers.

Two threads, each with its own app context (its own session and database connection), log 20 h on
the same day at once. A barrier placed right after the service reads the day's total holds the
first reader until the second has read too: without a lock taken before that read both see 0 h
and both store 20 h. With the lock the second writer waits at its BEGIN IMMEDIATE (SQLite) or
row lock (PostgreSQL) instead, never reaches the barrier, the first one's wait times out, it
commits, and the second then reads 20 h and is refused.

Also: a writer that cannot get SQLite's lock within the busy timeout gets a clear answer (503, or
a form error from the service), never a 500; and a form post holds the lock from its first read.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import make_url

from extensions import db
from models import User
from services.timesheet import entries as entry_service
from services.timesheet.entries import EntryError, EntryInput
from tests.conftest import dispose, make_app
from tests.timesheet_support import add_project, add_task, entry_form, signed_in

DAY = date(2026, 11, 18)
BARRIER_WAIT = 3.0  # seconds the first reader waits for the second


def test_two_concurrent_20h_entries_on_one_day_store_only_one(
    any_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = any_app
    _, user_id = signed_in(app)
    task_id = add_task(app, add_project(app, user_id))
    both_read = threading.Barrier(2)
    real_minutes_on_day = entry_service.minutes_on_day

    def minutes_on_day_then_wait(*args, **kwargs) -> int:
        minutes = real_minutes_on_day(*args, **kwargs)
        with suppress(threading.BrokenBarrierError):  # the other writer is (rightly) blocked
            both_read.wait(BARRIER_WAIT)
        return minutes

    monkeypatch.setattr(entry_service, "minutes_on_day", minutes_on_day_then_wait)
    outcomes: list[str] = []

    def log_20_hours(start: time) -> None:
        with app.app_context():
            user = db.session.get(User, user_id)
            data = EntryInput(task_id=task_id, day=DAY, start=start, minutes=20 * 60)
            try:
                entry_service.create_entry(user, data)
                outcomes.append("stored")
            except EntryError as error:
                outcomes.append(f"refused: {error.message}")
            except Exception as error:  # reported by the assertion below
                outcomes.append(f"crashed: {error!r}")

    writers = [threading.Thread(target=log_20_hours, args=(time(h, 0),)) for h in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "stored"], outcomes
    with app.app_context():
        assert entry_service.minutes_on_day(user_id, DAY) == 20 * 60


@contextmanager
def another_process_holds_the_write_lock(app: Flask) -> Iterator[None]:
    holder = sqlite3.connect(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    holder.isolation_level = None
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def impatient(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """The same database, with a busy timeout of 0.2 s."""
    impatient = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path / "impatient",
        SQLITE_BUSY_TIMEOUT_SECONDS=0.2,
    )
    yield impatient
    dispose(impatient)


def test_a_form_post_that_cannot_get_the_sqlite_lock_answers_503(impatient: Flask) -> None:
    """Another process holds SQLite's write lock past the busy timeout: a clear 503, not a 500."""
    client, user_id = signed_in(impatient)
    task_id = add_task(impatient, add_project(impatient, user_id))
    with another_process_holds_the_write_lock(impatient):
        response = client.post("/entries/new", data=entry_form(task_id, duration="1:00"))
    assert response.status_code == 503
    assert b"Nothing was saved" in response.data
    with impatient.app_context():
        assert entry_service.minutes_on_day(user_id, DAY) == 0


def test_the_entry_service_turns_a_busy_lock_into_a_form_error(impatient: Flask) -> None:
    """Called outside a request (CLI, a task): the service itself says so, on the day field."""
    _, user_id = signed_in(impatient)
    task_id = add_task(impatient, add_project(impatient, user_id))
    with impatient.app_context(), another_process_holds_the_write_lock(impatient):
        user = db.session.get(User, user_id)
        data = EntryInput(task_id=task_id, day=DAY, start=time(9, 0), minutes=60)
        with pytest.raises(EntryError) as refused:
            entry_service.create_entry(user, data)
    assert refused.value.field == "day" and "being changed elsewhere" in refused.value.message


def test_a_form_post_holds_the_sqlite_write_lock_from_its_first_read(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without it, a request that has read (the signed-in user) and then writes fails with
    "database is locked" at once (no waiting) if another connection committed in between: the
    SQLite snapshot it read is stale. With the lock, the other writer waits (here: gives up)."""
    from services.projects import projects as project_service

    client, _ = signed_in(app)
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    real_name_taken = project_service._name_taken
    other_writer: list[str] = []

    def another_connection_writes_first(*args, **kwargs) -> bool:
        other = sqlite3.connect(path, timeout=0.2)
        try:
            with other:
                other.execute("UPDATE users SET name = 'Changed elsewhere'")
            other_writer.append("committed")
        except sqlite3.OperationalError as error:
            other_writer.append(str(error))
        finally:
            other.close()
        return real_name_taken(*args, **kwargs)

    monkeypatch.setattr(project_service, "_name_taken", another_connection_writes_first)
    response = client.post("/projects/new", data={"name": "Apollo"})
    assert response.status_code == 302
    assert other_writer == ["database is locked"]
