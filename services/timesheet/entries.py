"""Logging time: turning what the user typed (a local day, a start, a duration or an end) into a
stored entry, with the rules that keep the data sane.

- The start is a wall-clock time in the user's time zone, stored as a UTC moment; ``spent_on`` is
  the local day. An entry counts on the day it starts, even if it runs past midnight.
- With an end time: an end later than the start is on the same day; an end earlier than the
  start is on the next day (23:00 to 01:00 is 2 h). Either way the entry counts on the day it
  starts, exactly as a duration that runs past midnight. An end equal to the start is refused.
- Overlapping entries are allowed (a call during a meeting), but the caller is told:
  :func:`overlaps` lists the user's other entries that share time with one.
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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Project, Task, TimeEntry, User
from models.time_entry import MINUTES_PER_DAY
from services import access
from services.platform.paging import paginate
from services.platform.text import UNPRINTABLE_MESSAGE, is_printable
from services.platform.transactions import DatabaseBusy, lock_writes_of
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
    # Of the task and project, only what a list shows: each row would convert their timestamps.
    query = (
        access.entries_of(user_id)
        .options(
            joinedload(TimeEntry.task)
            .load_only(Task.name, Task.project_id)
            .joinedload(Task.project)
            .load_only(Project.name)
        )
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
    return paginate(query, page=page, per_page=per_page)


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


def create_entries(
    user: User, inputs: Sequence[EntryInput], *, keep_task_id: int | None = None
) -> list[TimeEntry]:
    """Several entries in one transaction (a timer's days): all are stored, or none.

    ``keep_task_id`` may be a task closed since (a timer started before its task was closed),
    as an edited entry may keep its task. Anything already pending in the session (the timer's
    own change) is committed with the entries or rolled back with them.
    """
    entries: list[TimeEntry] = []
    try:
        for data in inputs:
            entry = TimeEntry(user_id=user.id)
            _apply(user, entry, data, current_task_id=keep_task_id, existing=False)
            db.session.add(entry)
            # Flushed at once: the next day's check counts it, and the session holds no
            # unsaved change when the next _apply takes the lock.
            db.session.flush()
            entries.append(entry)
        db.session.commit()
    except EntryError:
        db.session.rollback()
        raise
    return entries


def update_entry(user: User, entry: TimeEntry, data: EntryInput) -> TimeEntry:
    if entry.user_id != user.id:  # the route only passes entries from get_entry_for
        raise LookupError("not this user's entry")
    _apply(user, entry, data, current_task_id=entry.task_id, existing=True)
    db.session.commit()
    return entry


@dataclass(frozen=True)
class Changes:
    """Several writes that stand or fall together (the week grid's save)."""

    creates: Sequence[EntryInput] = ()
    updates: Sequence[tuple[TimeEntry, EntryInput]] = ()
    deletes: Sequence[TimeEntry] = ()


def apply_changes(user: User, changes: Changes) -> int:
    """Delete, update, then create, each through the same rules as a single entry, in one
    transaction: all are stored or none (the first refused one raises :class:`EntryError`).
    Returns the number of changes (entries deleted, updated and created)."""
    try:
        for entry in changes.deletes:
            if entry.user_id != user.id:
                raise LookupError("not this user's entry")
            _lock_user(user.id)
            _ensure_week_open(user.id, entry.task.project.team_id, entry.spent_on)
            db.session.delete(entry)
            db.session.flush()
        for entry, data in changes.updates:
            if entry.user_id != user.id:
                raise LookupError("not this user's entry")
            _apply(user, entry, data, current_task_id=entry.task_id, existing=True)
            db.session.flush()
        for data in changes.creates:
            entry = TimeEntry(user_id=user.id)
            _apply(user, entry, data, current_task_id=None, existing=False)
            db.session.add(entry)
            db.session.flush()
        db.session.commit()
    except (EntryError, LookupError):
        db.session.rollback()
        raise
    return len(changes.deletes) + len(changes.updates) + len(changes.creates)


@dataclass(frozen=True)
class DeletedEntry:
    """What it takes to put a deleted entry back (as plain values, so it fits in a session)."""

    task_id: int
    day: date
    start: time
    minutes: int
    note: str
    deleted_at: datetime

    def to_dict(self) -> dict[str, object]:
        return {
            "task_id": self.task_id,
            "day": self.day.isoformat(),
            "start": self.start.isoformat(),
            "minutes": self.minutes,
            "note": self.note,
            "deleted_at": self.deleted_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: object) -> DeletedEntry | None:
        """None for anything that is not a well-formed snapshot (an old or edited cookie)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                task_id=int(data["task_id"]),
                day=date.fromisoformat(data["day"]),
                start=time.fromisoformat(data["start"]),
                minutes=int(data["minutes"]),
                note=str(data["note"]),
                deleted_at=datetime.fromisoformat(data["deleted_at"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


UNDO_SECONDS = 300  # how long "Undo" is offered after a delete


def delete_entry(user: User, entry: TimeEntry) -> DeletedEntry:
    """Delete one of the user's entries, unless its week is locked (raises EntryLocked on the
    ``day`` field then); the returned snapshot lets :func:`restore_entry` put it back for a
    short while."""
    if entry.user_id != user.id:  # the route only passes entries from get_entry_for
        raise LookupError("not this user's entry")
    _lock_user(user.id)
    _ensure_week_open(user.id, entry.task.project.team_id, entry.spent_on)
    local_start = utc_to_local(entry.started_at, user.timezone)
    deleted = DeletedEntry(
        task_id=entry.task_id,
        day=entry.spent_on,
        start=local_start.time().replace(tzinfo=None),
        minutes=entry.minutes,
        note=entry.note,
        deleted_at=datetime.now(UTC),
    )
    db.session.delete(entry)
    db.session.commit()
    return deleted


def restore_entry(user: User, deleted: DeletedEntry, now: datetime | None = None) -> TimeEntry:
    """Undo a delete within :data:`UNDO_SECONDS`, as a new entry through the same rules (its task
    may have been closed since; the day may have filled up meanwhile, then it is refused)."""
    now = now or datetime.now(UTC)
    if not timedelta(0) <= now - deleted.deleted_at <= timedelta(seconds=UNDO_SECONDS):
        raise EntryError("task_id", "Too late to undo: the entry was deleted a while ago.")
    data = EntryInput(
        task_id=deleted.task_id,
        day=deleted.day,
        start=deleted.start,
        minutes=deleted.minutes,
        note=deleted.note,
    )
    [entry] = create_entries(user, [data], keep_task_id=deleted.task_id)
    return entry


def overlaps(user_id: int, entry: TimeEntry) -> list[TimeEntry]:
    """The user's other entries that share time with ``entry`` (neighbouring days included, for
    entries that run past midnight)."""
    candidates = db.session.scalars(
        access.entries_of(user_id)
        .where(
            TimeEntry.id != entry.id,
            TimeEntry.spent_on >= entry.spent_on - timedelta(days=1),
            TimeEntry.spent_on <= entry.spent_on + timedelta(days=1),
        )
        .options(joinedload(TimeEntry.task).joinedload(Task.project))
        .order_by(TimeEntry.started_at)
    )
    return [
        other
        for other in candidates
        if other.started_at < entry.ended_at and entry.started_at < other.ended_at
    ]


def where_the_user_left_off(user: User, day: date) -> tuple[int | None, time | None]:
    """The task of the user's latest entry, and the end of the last entry on ``day`` (local) if
    it ends that same day: where a new entry most likely starts."""
    latest = (
        access.entries_of(user.id)
        .with_only_columns(TimeEntry.task_id)
        .order_by(TimeEntry.spent_on.desc(), TimeEntry.started_at.desc(), TimeEntry.id.desc())
        .limit(1)
    )
    last_that_day = (
        access.entries_of(user.id)
        .where(TimeEntry.spent_on == day)
        .order_by(TimeEntry.started_at.desc(), TimeEntry.id.desc())
        .limit(1)
    )
    # One statement of three subqueries (the form is a page: it keeps to the query budget).
    row = db.session.execute(
        select(
            latest.scalar_subquery(),
            last_that_day.with_only_columns(TimeEntry.started_at).scalar_subquery(),
            last_that_day.with_only_columns(TimeEntry.minutes).scalar_subquery(),
        )
    ).one()
    latest_task, last_started, last_minutes = row
    start = None
    if last_started is not None:
        ended_at = last_started + timedelta(minutes=last_minutes)
        end = utc_to_local(ended_at, user.timezone)
        if end.date() == day:
            start = end.time().replace(tzinfo=None, second=0, microsecond=0)
    return latest_task, start


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
        if data.end == data.start:
            raise EntryError("end", "The end must differ from the start.")
        # An end before the start is on the next day (the rule stated on the form).
        end_day = data.day if data.end > data.start else data.day + timedelta(days=1)
        try:
            ended_at = local_to_utc(end_day, data.end, user.timezone)
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
    try:
        lock_writes_of(user_id)
    except DatabaseBusy:
        raise EntryError(
            "day", "This day is being changed elsewhere right now. Please send it again."
        ) from None
