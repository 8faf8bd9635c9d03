"""The running timer: start it on a task, stop it to log the time.

- One running timer per user. The database holds the rule (``models/timer.py``: a partial
  unique index), so two tabs or two devices starting at once cannot both succeed: the second
  insert fails on the index and gets the same message as a start while a timer runs.
- Stopping turns the elapsed time into time entries through the entries service
  (:func:`services.timesheet.entries.create_entries`), so every rule of a typed entry applies.
- **The rule for a long timer**: the time is split at each local midnight (the user's zone)
  into one entry per day, each counted on its own day. A day's part is capped at what still fits
  under the daily limit (24 h with what is already logged); the cut time is reported back
  (``Stopped.capped_minutes``) and the page says so. Under a minute in all logs nothing.
- Stop is a conditional UPDATE (``stopped_at IS NULL``): two tabs stopping the same timer log
  its time once; the other is told no timer was running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from extensions import db
from models import Task, TimeEntry, Timer, User
from models.time_entry import MINUTES_PER_DAY
from models.timer import NOTE_LENGTH
from services import access
from services.platform.text import UNPRINTABLE_MESSAGE, is_printable
from services.platform.transactions import DatabaseBusy, begin_write
from services.projects import tasks as task_service
from services.timesheet import entries as entry_service
from services.timesheet.dates import user_zone
from services.timesheet.entries import EntryInput


class TimerError(ValueError):
    """A start or stop that cannot happen; the message is for the user. ``field`` names the input
    at fault (``task_id``, ``note``), or is None when the timer's state is (see TimerConflict)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TimerConflict(TimerError):
    """The state, not the input: a timer already runs, none runs, or another device is changing
    it right now (the API answers 409)."""


@dataclass(frozen=True)
class DayPart:
    """The piece of a timer's run that falls on one local day."""

    day: date
    start: datetime  # local, aware
    minutes: int


@dataclass(frozen=True)
class Stopped:
    entries: list[TimeEntry]
    capped_minutes: int  # time cut off by the daily limit (0 when everything was logged)


def running_timer(user_id: int) -> Timer | None:
    """The user's running timer with its task and project loaded (one query), or None."""
    return db.session.scalar(
        access.timers_of(user_id)
        .where(Timer.stopped_at.is_(None))
        .options(joinedload(Timer.task).joinedload(Task.project))
    )


def elapsed_seconds(timer: Timer, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    return max(int((now - timer.started_at).total_seconds()), 0)


def _begin_write() -> None:
    """Hold the write lock before the reads a start or stop depends on (SQLite; on PostgreSQL
    the partial index and the conditional UPDATE do the work)."""
    try:
        begin_write()
    except DatabaseBusy:
        raise TimerConflict("The timer is being changed elsewhere right now. Try again.") from None


def start_timer(user: User, task_id: int, note: str = "") -> Timer:
    _begin_write()
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise TimerError(f"Keep the note to {NOTE_LENGTH} characters or fewer.", "note")
    if not is_printable(note):
        raise TimerError(UNPRINTABLE_MESSAGE, "note")
    task = task_service.get_open_task_for(user.id, task_id)
    if task is None:
        raise TimerError("Choose one of your open tasks to start the timer on.", "task_id")
    running = running_timer(user.id)
    if running is not None:
        raise TimerConflict(already_running(running))
    timer = Timer(user_id=user.id, task_id=task.id, note=note, started_at=datetime.now(UTC))
    db.session.add(timer)
    try:
        db.session.commit()
    except IntegrityError:
        # Another tab or device started one between our check and our insert: the index won.
        db.session.rollback()
        running = running_timer(user.id)
        raise TimerConflict(already_running(running)) from None
    return timer


def already_running(timer: Timer | None) -> str:
    if timer is None:
        return "A timer was started at the same moment elsewhere. Reload to see it."
    task = timer.task
    return f"A timer is already running on {task.project.name} — {task.name}. Stop it first."


def stop_timer(user: User, now: datetime | None = None) -> Stopped:
    """Stop the running timer and log its time (see the module docstring for the rule)."""
    _begin_write()
    now = now or datetime.now(UTC)
    timer = running_timer(user.id)
    if timer is None:
        raise TimerConflict("No timer is running.")
    # Claim the stop first: of two concurrent stops only one changes the row.
    claimed = db.session.execute(
        update(Timer)
        .where(access.timer_scope(user.id), Timer.id == timer.id, Timer.stopped_at.is_(None))
        .values(stopped_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        db.session.rollback()
        raise TimerConflict("No timer is running: it was stopped elsewhere.")
    inputs, capped = [], 0
    logged_by_day: dict[date, int] = {}
    for part in split_by_day(timer.started_at, now, user.timezone):
        already = entry_service.minutes_on_day(user.id, part.day) + logged_by_day.get(part.day, 0)
        fits = max(min(part.minutes, MINUTES_PER_DAY - already), 0)
        capped += part.minutes - fits
        if fits < 1:
            continue
        logged_by_day[part.day] = logged_by_day.get(part.day, 0) + fits
        inputs.append(
            EntryInput(
                task_id=timer.task_id,
                day=part.day,
                start=part.start.time().replace(tzinfo=None, microsecond=0),
                minutes=fits,
                note=timer.note,
            )
        )
    # The timer's stop and its entries are one commit (or one rollback on a refused entry).
    entries = entry_service.create_entries(user, inputs, keep_task_id=timer.task_id)
    return Stopped(entries, capped)


def discard_timer(user: User) -> bool:
    """Stop the running timer without logging anything. False if none was running."""
    _begin_write()
    now = datetime.now(UTC)
    result = db.session.execute(
        update(Timer)
        .where(access.timer_scope(user.id), Timer.stopped_at.is_(None))
        .values(stopped_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0))


def split_by_day(
    started_at: datetime, stopped_at: datetime, zone_name: str | None
) -> list[DayPart]:
    """The run from ``started_at`` to ``stopped_at`` cut at each local midnight, in whole minutes
    (each part rounded; a part under half a minute is dropped)."""
    zone = user_zone(zone_name)
    start = started_at.astimezone(zone)
    end = stopped_at.astimezone(zone)
    parts: list[DayPart] = []
    while start < end:
        next_midnight = datetime.combine(
            start.date() + timedelta(days=1), datetime.min.time(), tzinfo=zone
        )
        part_end = min(end, next_midnight)
        # In UTC: subtracting two times of one zone object ignores a clock change between them.
        seconds = (part_end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
        minutes = round(seconds / 60)
        if minutes >= 1:
            parts.append(DayPart(start.date(), start, minutes))
        start = part_end
    return parts
