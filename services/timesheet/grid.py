"""The week grid: hours per task and day, typed in a table, saved through the entries service.

A cell is the total of the user's entries on that task and day. Saving compares each cell with
what is stored and turns the difference into entry writes, all in one transaction
(:func:`services.timesheet.entries.apply_changes`, so the daily limit and every other rule of a
typed entry apply):

- an empty cell that gets hours: a new entry, starting at the end of that day's last entry
  (09:00 on an empty day), without a note;
- a cell with one entry: that entry's duration changes (its start and note stay);
- a cell with several entries: the last one absorbs the difference; if that would leave it
  with no time, the cell is refused (edit those entries on the week page);
- a cell emptied (or 0): its entries are deleted.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from models import Task, TimeEntry, User
from services.projects import tasks as task_service
from services.timesheet import entries as entry_service
from services.timesheet.dates import BadDate, Week, format_minutes, local_to_utc, utc_to_local
from services.timesheet.entries import Changes, EntryError, EntryInput
from services.timesheet.week import week_entries

DEFAULT_START = time(9, 0)


@dataclass
class GridRow:
    task: Task
    minutes: dict[date, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.minutes.values())


@dataclass(frozen=True)
class Grid:
    week: Week
    rows: list[GridRow]
    addable: list[Task]  # open tasks not in the grid yet

    def day_total(self, day: date) -> int:
        return sum(row.minutes.get(day, 0) for row in self.rows)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


class GridError(ValueError):
    """A cell that cannot be saved; ``cell`` is (task id, day)."""

    def __init__(self, cell: tuple[int, date], message: str) -> None:
        super().__init__(message)
        self.cell = cell
        self.message = message


def build_grid(user_id: int, team_id: int | None, week: Week, extra_task_ids: list[int]) -> Grid:
    """The week's tasks with their totals per day (in every team: the user's own time), then
    any extra rows asked for: open tasks of the current team (``team_id``) only, unknown ids
    ignored; none without a team."""
    by_task: dict[int, GridRow] = {}
    for entry in week_entries(user_id, week):
        row = by_task.setdefault(entry.task_id, GridRow(entry.task))
        row.minutes[entry.spent_on] = row.minutes.get(entry.spent_on, 0) + entry.minutes
    open_tasks = [] if team_id is None else task_service.open_tasks_for(user_id, team_id)
    open_by_id = {task.id: task for task in open_tasks}
    for task_id in extra_task_ids:
        if task_id not in by_task and task_id in open_by_id:
            by_task[task_id] = GridRow(open_by_id[task_id])
    rows = sorted(
        by_task.values(),
        key=lambda row: (row.task.project.name.casefold(), row.task.name.casefold(), row.task.id),
    )
    addable = [task for task in open_tasks if task.id not in by_task]
    return Grid(week, rows, addable)


def last_week_task_ids(user_id: int, week: Week) -> list[int]:
    return sorted({entry.task_id for entry in week_entries(user_id, week.previous)})


def save_grid(user: User, week: Week, cells: dict[tuple[int, date], int]) -> int:
    """Store the typed totals (``cells``: minutes per (task id, day) of this week). Returns the
    number of changes; raises :class:`GridError` naming the refused cell."""
    stored: dict[tuple[int, date], list[TimeEntry]] = defaultdict(list)
    day_ends: dict[date, datetime] = {}
    for entry in week_entries(user.id, week):
        stored[(entry.task_id, entry.spent_on)].append(entry)
        if entry.spent_on not in day_ends or entry.ended_at > day_ends[entry.spent_on]:
            day_ends[entry.spent_on] = entry.ended_at
    creates: list[tuple[tuple[int, date], EntryInput]] = []
    updates: list[tuple[tuple[int, date], TimeEntry, EntryInput]] = []
    deletes: list[TimeEntry] = []
    new_cells: list[tuple[tuple[int, date], int]] = []
    for cell, minutes in cells.items():
        task_id, day = cell
        if not week.contains(day):
            raise GridError(cell, "That day is not in this week.")
        entries = stored.get(cell, [])
        current = sum(entry.minutes for entry in entries)
        if minutes == current:
            continue
        if minutes == 0:
            deletes.extend(entries)
        elif not entries:
            new_cells.append((cell, minutes))
        else:
            last = entries[-1]
            new_minutes = last.minutes + (minutes - current)
            if new_minutes < 1:
                raise GridError(
                    cell,
                    f"{format_minutes(current)} here is {len(entries)} entries; lower it on the "
                    "week page, entry by entry.",
                )
            local_start = utc_to_local(last.started_at, user.timezone)
            data = EntryInput(
                task_id=last.task_id,
                day=last.spent_on,
                start=local_start.time().replace(tzinfo=None),
                minutes=new_minutes,
                note=last.note,
            )
            updates.append((cell, last, data))
            longer = last.started_at + timedelta(minutes=new_minutes)
            if longer > day_ends.get(last.spent_on, longer):
                day_ends[last.spent_on] = longer
    # New entries go after the day's last one (as it will be once the updates are in).
    for cell, minutes in new_cells:
        task_id, day = cell
        start = _free_start(day_ends.get(day), day, user.timezone)
        creates.append((cell, EntryInput(task_id=task_id, day=day, start=start, minutes=minutes)))
        with contextlib.suppress(BadDate):  # the next new entry that day starts after it
            day_ends[day] = local_to_utc(day, start, user.timezone) + timedelta(minutes=minutes)
    try:
        return entry_service.apply_changes(
            user,
            Changes(
                creates=[data for _, data in creates],
                updates=[(entry, data) for _, entry, data in updates],
                deletes=deletes,
            ),
        )
    except EntryError as error:
        # The message names the day (the daily limit) or the task; point at the first cell of it.
        cell = next(iter([c for c, _ in creates] + [c for c, _, _ in updates]), (0, week.first))
        raise GridError(cell, error.message) from None


def _free_start(day_end: datetime | None, day: date, zone_name: str | None) -> time:
    """Where a new entry on ``day`` starts: after the day's last entry if that ends the same
    day, else 09:00."""
    if day_end is None:
        return DEFAULT_START
    local = utc_to_local(day_end, zone_name)
    if local.date() != day or local.time() >= time(23, 59):
        return DEFAULT_START
    return local.time().replace(tzinfo=None, second=0, microsecond=0)
