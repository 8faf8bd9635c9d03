"""Logging time: turning what the user typed (a local day, a start, a duration or an end) into a
stored entry, with the rules that keep the data sane.

- The start is a wall-clock time in the user's time zone, stored as a UTC moment; ``spent_on`` is
  the local day. An entry counts on the day it starts, even if it runs past midnight.
- With an end time, the end must come after the start on the same day.
- A user's entries on one day add up to 24 h at most (the entry being edited not counted twice).
  The write lock is taken before the day's total is read, so two requests cannot both squeeze
  under the limit: PostgreSQL locks the user's row, SQLite begins with BEGIN IMMEDIATE
  (``services/platform/transactions.py``).
- The task must be one of the user's open tasks in an active project of one of their teams. An
  edited entry may keep its current task even after that task was closed or its project archived.
- A locked week (approved, or past the team's grace period: services/timesheet/locks.py) takes no
  change: no entry is created in it, changed, moved into or out of it, or deleted. The check is
  here, in the write functions every interface calls, after the write lock is taken (approving
  takes the same lock), so a week cannot be approved between the check and the write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Task, TimeEntry, User
from models.time_entry import MINUTES_PER_DAY
from services import access
from services.platform.text import UNPRINTABLE_MESSAGE, is_printable
from services.platform.transactions import DatabaseBusy, begin_write
from services.projects import tasks as task_service
from services.timesheet.dates import (
    BadDate,
    check_year,
    format_minutes,
    local_to_utc,
    utc_to_local,
)
from services.timesheet.locks import WeekLocked, ensure_open

NOTE_MAX_LENGTH = 500


class EntryError(ValueError):
    """Input that cannot be stored; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class EntryLocked(EntryError):
    """The entry's week is locked (services/timesheet/locks.py): a state of the week, not bad
    input, so the API answers 409; the web form shows it on the ``day`` field like any error."""


@dataclass(frozen=True)
class EntryInput:
    task_id: int
    day: date
    start: time
    minutes: int | None = None  # either a duration ...
    end: time | None = None  # ... or an end time
    note: str = ""


def input_at(
    user: User, *, task_id: int, started_at: datetime, minutes: int, note: str = ""
) -> EntryInput:
    """An entry given as a moment with an offset (the API): its local day and wall-clock start
    in the user's time zone. A moment outside the accepted years is an EntryError on
    ``started_at``, before any arithmetic could overflow."""
    try:
        check_year(started_at.date())
    except BadDate as error:
        raise EntryError("started_at", str(error)) from None
    local = utc_to_local(started_at, user.timezone)
    return EntryInput(
        task_id=task_id,
        day=local.date(),
        start=local.time().replace(tzinfo=None, microsecond=0),
        minutes=minutes,
        note=note,
    )


def get_entry_for(user_id: int, entry_id: int, *, lock: bool = False) -> TimeEntry | None:
    """One of the user's entries. ``lock``: for a change checked against what is read here (the
    API's If-Match): the user's writes are serialized first, as every entry write does."""
    if not access.is_possible_id(entry_id):
        return None
    if lock:
        _lock_user(user_id)
    return db.session.scalar(
        access.entries_of(user_id)
        .where(TimeEntry.id == entry_id)
        .options(joinedload(TimeEntry.task).joinedload(Task.project))
    )


def list_entries(
    user_id: int,
    *,
    page: int,
    per_page: int,
    date_from: date | None = None,
    date_to: date | None = None,
    project_id: int | None = None,
    task_id: int | None = None,
) -> Pagination:
    """One page of the user's entries, newest first (the id breaks ties: a stable order)."""
    query = (
        access.entries_of(user_id)
        .options(joinedload(TimeEntry.task).joinedload(Task.project))
        .order_by(TimeEntry.spent_on.desc(), TimeEntry.started_at.desc(), TimeEntry.id.desc())
    )
    if date_from is not None:
        query = query.where(TimeEntry.spent_on >= date_from)
    if date_to is not None:
        query = query.where(TimeEntry.spent_on <= date_to)
    if task_id is not None:
        query = query.where(TimeEntry.task_id == task_id)
    if project_id is not None:
        query = query.where(
            TimeEntry.task_id.in_(select(Task.id).where(Task.project_id == project_id))
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)


def minutes_on_day(user_id: int, day: date, except_id: int | None = None) -> int:
    query = select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        access.entry_scope(user_id), TimeEntry.spent_on == day
    )
    if except_id is not None:
        query = query.where(TimeEntry.id != except_id)
    return int(db.session.scalar(query) or 0)


def create_entry(user: User, data: EntryInput) -> TimeEntry:
    entry = TimeEntry(user_id=user.id)
    _apply(user, entry, data, current_task_id=None, existing=False)
    db.session.add(entry)
    db.session.commit()
    return entry


def update_entry(user: User, entry: TimeEntry, data: EntryInput) -> TimeEntry:
    if entry.user_id != user.id:  # the route only passes entries from get_entry_for
        raise LookupError("not this user's entry")
    _apply(user, entry, data, current_task_id=entry.task_id, existing=True)
    db.session.commit()
    return entry


def delete_entry(entry: TimeEntry) -> None:
    """Delete an entry (the caller found it through the user's scope), unless its week is
    locked: raises EntryError on the ``day`` field then."""
    _lock_user(entry.user_id)
    _ensure_week_open(entry.user_id, entry.task.project.team_id, entry.spent_on)
    db.session.delete(entry)
    db.session.commit()


def _ensure_week_open(user_id: int, team_id: int, day: date) -> None:
    try:
        ensure_open(user_id, team_id, day)
    except WeekLocked as locked:
        db.session.rollback()
        raise EntryLocked("day", str(locked)) from None


def _apply(
    user: User,
    entry: TimeEntry,
    data: EntryInput,
    current_task_id: int | None,
    existing: bool,
) -> None:
    """Lock, validate everything, then write: a refused entry changes nothing (and its
    transaction is ended at once, releasing the lock). For an ``existing`` entry, the week it
    is in now must be open too (read after the lock)."""
    _lock_user(user.id)
    try:
        _check_and_set(user, entry, data, current_task_id, existing)
    except EntryError:
        db.session.rollback()
        raise


def _check_and_set(
    user: User,
    entry: TimeEntry,
    data: EntryInput,
    current_task_id: int | None,
    existing: bool,
) -> None:
    try:
        check_year(data.day)
    except BadDate as error:
        raise EntryError("day", str(error)) from None
    task = _task_for(user.id, data.task_id, current_task_id)
    if existing:  # the week it leaves
        _ensure_week_open(user.id, entry.task.project.team_id, entry.spent_on)
    _ensure_week_open(user.id, task.project.team_id, data.day)
    started_at, minutes, field = _start_and_minutes(user, data)
    note = (data.note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise EntryError("note", f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer.")
    if not is_printable(note, multiline=True):
        raise EntryError("note", UNPRINTABLE_MESSAGE)
    already = minutes_on_day(user.id, data.day, except_id=entry.id)
    if already + minutes > MINUTES_PER_DAY:
        left = max(MINUTES_PER_DAY - already, 0)
        raise EntryError(
            field,
            f"That makes more than 24 h on {data.day:%a %d %b %Y}: {format_minutes(already)} "
            f"is already logged, at most {format_minutes(left)} more fits.",
        )
    entry.task_id = task.id
    entry.spent_on = data.day
    entry.started_at = started_at
    entry.minutes = minutes
    entry.note = note


def _task_for(user_id: int, task_id: int, current_task_id: int | None) -> Task:
    if current_task_id is not None and task_id == current_task_id:
        task = task_service.get_task_for(user_id, task_id)
    else:
        task = task_service.get_open_task_for(user_id, task_id)
    if task is None:
        raise EntryError("task_id", "Choose one of your open tasks.")
    return task


def _start_and_minutes(user: User, data: EntryInput) -> tuple[datetime, int, str]:
    """The UTC start, the duration in minutes and the field a duration error belongs to."""
    try:
        started_at = local_to_utc(data.day, data.start, user.timezone)
    except BadDate as error:
        raise EntryError("start", str(error)) from None
    if data.end is not None and data.minutes is not None:
        raise EntryError("duration", "Fill in either a duration or an end time, not both.")
    if data.end is not None:
        if data.end <= data.start:
            raise EntryError("end", "The end must be after the start (on the same day).")
        try:
            ended_at = local_to_utc(data.day, data.end, user.timezone)
        except BadDate as error:
            raise EntryError("end", str(error)) from None
        minutes = int((ended_at - started_at).total_seconds() // 60)
        field = "end"
    elif data.minutes is not None:
        minutes, field = data.minutes, "duration"
    else:
        raise EntryError("duration", "Fill in a duration or an end time.")
    if not 1 <= minutes <= MINUTES_PER_DAY:
        raise EntryError(field, "The duration must be between 1 minute and 24 hours.")
    return started_at, minutes, field


def _lock_user(user_id: int) -> None:
    """Serialize one user's writes before anything the rules depend on is read: a row lock on
    PostgreSQL, the database's write lock (BEGIN IMMEDIATE) on SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
        return
    try:
        begin_write()
    except DatabaseBusy:
        raise EntryError(
            "day", "This day is being changed elsewhere right now. Please send it again."
        ) from None
