"""The week view's numbers: one query loads the week's entries as slim rows (only the columns the
page shows, no ORM objects: the page only reads them), everything else (per-day and per-project
totals) is summed in Python from those rows, so the number of queries does not grow with the
number of entries or projects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy.orm import joinedload

from extensions import db
from models import Project, Task, TimeEntry
from services import access
from services.timesheet.dates import Week, user_zone


@dataclass(frozen=True, slots=True)
class ProjectRef:
    """What the week page shows of a project: a name, a link, and its team (the week's lock
    in the current team marks that team's rows)."""

    id: int
    name: str
    team_id: int


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: int
    project: ProjectRef
    task_name: str
    note: str
    minutes: int
    local_start: datetime
    local_end: datetime


@dataclass
class DaySummary:
    day: date
    rows: list[EntryRow] = field(default_factory=list)
    minutes_by_project: dict[int, int] = field(default_factory=dict)

    @property
    def minutes(self) -> int:
        return sum(self.minutes_by_project.values())


@dataclass(frozen=True, slots=True)
class ProjectTotal:
    project: ProjectRef
    minutes: int


@dataclass(frozen=True)
class WeekSummary:
    week: Week
    days: list[DaySummary]
    projects: list[ProjectTotal]  # most time first

    @property
    def minutes(self) -> int:
        return sum(total.minutes for total in self.projects)


def week_entries(user_id: int, week: Week) -> list[TimeEntry]:
    """The week's entries in the user's scope as ORM objects, with task and project (the grid,
    which edits them)."""
    return list(
        db.session.scalars(
            access.entries_of(user_id)
            .where(
                TimeEntry.spent_on >= week.first,
                TimeEntry.spent_on <= week.last,
            )
            .options(joinedload(TimeEntry.task).joinedload(Task.project))
            .order_by(TimeEntry.spent_on, TimeEntry.started_at, TimeEntry.id)
        )
    )


# id, spent_on, started_at, minutes, note, task name, project id, project name, team id
WeekRow = tuple[int, date, datetime, int, str, str, int, str, int]


def week_rows(user_id: int, week: Week) -> list[WeekRow]:
    """The week's entries in the user's scope, as plain rows of the columns the page shows."""
    statement = (
        access.entries_of(user_id)
        .with_only_columns(
            TimeEntry.id,
            TimeEntry.spent_on,
            TimeEntry.started_at,
            TimeEntry.minutes,
            TimeEntry.note,
            Task.name,
            Project.id,
            Project.name,
            Project.team_id,
        )
        .join(Task, TimeEntry.task_id == Task.id)
        .join(Project, Task.project_id == Project.id)
        .where(
            TimeEntry.spent_on >= week.first,
            TimeEntry.spent_on <= week.last,
        )
        .order_by(TimeEntry.spent_on, TimeEntry.started_at, TimeEntry.id)
    )
    # Rows unpack like tuples; with_only_columns() loses the column types, so they are named here.
    return cast("list[WeekRow]", db.session.execute(statement).all())


def summarize_week(user_id: int, week: Week, zone_name: str | None) -> WeekSummary:
    zone = user_zone(zone_name)
    days = {day: DaySummary(day) for day in week.days}
    per_project: dict[int, int] = defaultdict(int)
    projects: dict[int, ProjectRef] = {}
    for entry_id, spent_on, started_at, minutes, note, task_name, pid, pname, team in week_rows(
        user_id, week
    ):
        project = projects.get(pid) or projects.setdefault(pid, ProjectRef(pid, pname, team))
        per_project[pid] += minutes
        summary = days[spent_on]
        summary.minutes_by_project[pid] = summary.minutes_by_project.get(pid, 0) + minutes
        local_start = started_at.astimezone(zone)
        summary.rows.append(
            EntryRow(
                entry_id,
                project,
                task_name,
                note,
                minutes,
                local_start,
                (started_at + timedelta(minutes=minutes)).astimezone(zone),
            )
        )
    totals = sorted(
        (ProjectTotal(projects[pid], minutes) for pid, minutes in per_project.items()),
        key=lambda total: (-total.minutes, total.project.name.lower(), total.project.id),
    )
    return WeekSummary(week, list(days.values()), totals)
