"""Reports on screen: a range (presets or custom), totals grouped by project, task or day.

Summed in SQL (GROUP BY) over the user's entries (``access.entry_scope``), so the page costs a
few queries whatever the number of entries. Days and ranges are the user's local days: an
entry's ``spent_on`` already is one, and "this week" starts on the user's first day of the week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from extensions import db
from models import Project, Task, TimeEntry
from services import access
from services.timesheet.dates import BadDate, check_year, week_of

RANGES = {
    "this_week": "This week",
    "last_week": "Last week",
    "this_month": "This month",
    "last_month": "Last month",
    "custom": "Custom",
}
GROUPS = {"project": "Project", "task": "Task", "day": "Day"}
MAX_DAYS = 366  # a custom range longer than a year is refused (the chart has a bar per day)


@dataclass(frozen=True)
class Choice:
    """What the user asked for, checked: a known preset and grouping, a sane range."""

    range: str
    group: str
    date_from: date
    date_to: date


@dataclass(frozen=True)
class Total:
    label: str
    minutes: int
    project_id: int | None = None  # colours the bar (None for a day)
    day: date | None = None


@dataclass(frozen=True)
class DayProject:
    day: date
    project_id: int
    project: str
    minutes: int


@dataclass(frozen=True)
class Summary:
    choice: Choice
    totals: list[Total]
    by_day: list[DayProject]  # for the chart: every day's minutes per project

    @property
    def minutes(self) -> int:
        return sum(total.minutes for total in self.totals)


def choose(
    range_name: str | None,
    group: str | None,
    date_from: date | None,
    date_to: date | None,
    today: date,
    first_weekday: int = 0,
) -> Choice:
    """The range a preset means today (or the custom days), and a grouping; unknown values fall
    back to this month by project. Raises :class:`BadDate` for a bad custom range."""
    name = range_name if range_name in RANGES else "this_month"
    group = group if group in GROUPS else "project"
    if name == "this_week":
        week = week_of(today, first_weekday)
        first, last = week.first, week.last
    elif name == "last_week":
        week = week_of(today, first_weekday).previous
        first, last = week.first, week.last
    elif name == "this_month":
        first = today.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    elif name == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        first = last.replace(day=1)
    else:
        if date_from is None or date_to is None:
            raise BadDate("Choose both the first and the last day.")
        first, last = check_year(date_from), check_year(date_to)
        if last < first:
            raise BadDate("The last day must not be before the first.")
        if (last - first).days >= MAX_DAYS:
            raise BadDate(f"Choose at most {MAX_DAYS} days.")
    return Choice(name, group, first, last)


def summarize(user_id: int, choice: Choice) -> Summary:
    scope = (
        access.entry_scope(user_id),
        TimeEntry.spent_on.between(choice.date_from, choice.date_to),
    )
    minutes = func.sum(TimeEntry.minutes)
    by_day_rows = db.session.execute(
        select(TimeEntry.spent_on, Project.id, Project.name, minutes)
        .join(Task, TimeEntry.task_id == Task.id)
        .join(Project, Task.project_id == Project.id)
        .where(*scope)
        .group_by(TimeEntry.spent_on, Project.id, Project.name)
        .order_by(TimeEntry.spent_on, Project.id)
    ).all()
    by_day = [DayProject(day, pid, name, int(total)) for day, pid, name, total in by_day_rows]
    if choice.group == "task":
        rows = db.session.execute(
            select(Project.id, Project.name, Task.name, minutes)
            .join(Task, TimeEntry.task_id == Task.id)
            .join(Project, Task.project_id == Project.id)
            .where(*scope)
            .group_by(Task.id, Task.name, Project.id, Project.name)
            .order_by(minutes.desc(), Project.name, Task.name)
        ).all()
        totals = [Total(f"{project} — {task}", int(m), pid) for pid, project, task, m in rows]
    elif choice.group == "day":
        per_day: dict[date, int] = {}
        for item in by_day:
            per_day[item.day] = per_day.get(item.day, 0) + item.minutes
        totals = [Total(f"{day:%a %d %b %Y}", m, None, day) for day, m in sorted(per_day.items())]
    else:
        per_project: dict[int, tuple[str, int]] = {}
        for item in by_day:
            name, so_far = per_project.get(item.project_id, (item.project, 0))
            per_project[item.project_id] = (name, so_far + item.minutes)
        totals = sorted(
            (Total(name, m, pid) for pid, (name, m) in per_project.items()),
            key=lambda total: (-total.minutes, total.label.casefold()),
        )
    return Summary(choice, totals, by_day)
