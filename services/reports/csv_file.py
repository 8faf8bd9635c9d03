"""Writing a time report as CSV, one row at a time, with the totals at the end.

Nothing here holds the entries: rows stream in, are written, and only the running totals (one
number per project and per day, both bounded by the data's shape, not its size) stay in memory.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, tzinfo
from typing import IO, Any, NamedTuple

HEADER = ("date", "project", "task", "start", "minutes", "hours", "note")
# A cell starting with one of these is a formula in spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class EntryRow(NamedTuple):
    spent_on: date
    started_at: datetime
    minutes: int
    note: str
    project: str
    task: str


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as text: a leading formula character gets a quote in front."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}"


def write_report(
    out: IO[str],
    rows: Iterable[EntryRow],
    zone: tzinfo,
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = 5000,
    with_person: bool = False,
) -> int:
    """Write the entries, then per-project, per-day and grand totals. Return the entry count.

    ``on_progress(rows_so_far)`` is called every ``progress_every`` rows. ``with_person`` (team
    reports): each row carries the person's name last, written as a last "person" column.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*HEADER, "person") if with_person else HEADER)
    per_project: defaultdict[str, int] = defaultdict(int)
    per_day: defaultdict[date, int] = defaultdict(int)
    # Bounded caches (days in the range, distinct durations, names): the per-row work is then
    # mostly the CSV writer itself, which keeps the export above 100 000 rows/s.
    day_text: dict[date, str] = {}
    hours_text: dict[int, str] = {}
    cell_text: dict[str, str] = {}
    count = 0
    person: list[str]
    for spent_on, started_at, minutes, note, project, task, *person in rows:
        day = day_text.get(spent_on)
        if day is None:
            day = day_text[spent_on] = spent_on.isoformat()
        spent = hours_text.get(minutes)
        if spent is None:
            spent = hours_text[minutes] = hours(minutes)
        project_cell = cell_text.get(project)
        if project_cell is None:
            project_cell = cell_text[project] = safe_cell(project)
        task_cell = cell_text.get(task)
        if task_cell is None:
            task_cell = cell_text[task] = safe_cell(task)
        if started_at.tzinfo is None:  # naive values are UTC (SQLite)
            started_at = started_at.replace(tzinfo=UTC)
        local = started_at.astimezone(zone)
        writer.writerow(
            (
                day,
                project_cell,
                task_cell,
                f"{local.hour:02d}:{local.minute:02d}",
                minutes,
                spent,
                safe_cell(note) if note else note,
                *[safe_cell(name) for name in person],
            )
        )
        per_project[project] += minutes
        per_day[spent_on] += minutes
        count += 1
        if on_progress is not None and count % progress_every == 0:
            on_progress(count)
    write_totals(writer, per_project, per_day)
    return count


def write_totals(writer: Any, per_project: dict[str, int], per_day: dict[date, int]) -> None:
    writer.writerow(())
    writer.writerow(("total per project", "project", "", "", "minutes", "hours", ""))
    for project in sorted(per_project, key=str.casefold):
        minutes = per_project[project]
        writer.writerow(("", safe_cell(project), "", "", minutes, hours(minutes), ""))
    writer.writerow(())
    writer.writerow(("total per day", "date", "", "", "minutes", "hours", ""))
    for day in sorted(per_day):
        minutes = per_day[day]
        writer.writerow(("", day.isoformat(), "", "", minutes, hours(minutes), ""))
    writer.writerow(())
    total = sum(per_project.values())
    writer.writerow(("total", "", "", "", total, hours(total), ""))
