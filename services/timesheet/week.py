"""The week view's numbers: one query loads the week's entries with their tasks and projects,
everything else (per-day and per-project totals) is summed in Python from those rows, so the
number of queries does not grow with the number of entries or projects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import joinedload

from extensions import db
from models import Project, Task, TimeEntry
from services import access
from services.timesheet.dates import Week, utc_to_local


@dataclass(frozen=True)
class EntryRow:
    entry: TimeEntry
    local_start: datetime
    local_end: datetime

    @property
    def project(self) -> Project:
        return self.entry.task.project


@dataclass
class DaySummary:
    day: date
    rows: list[EntryRow] = field(default_factory=list)
    minutes_by_project: dict[int, int] = field(default_factory=dict)

    @property
    def minutes(self) -> int:
        return sum(self.minutes_by_project.values())


@dataclass(frozen=True)
class ProjectTotal:
    project: Project
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


def summarize_week(user_id: int, week: Week, zone_name: str | None) -> WeekSummary:
    days = {day: DaySummary(day) for day in week.days}
    per_project: dict[int, int] = defaultdict(int)
    projects: dict[int, Project] = {}
    for entry in week_entries(user_id, week):
        project = entry.task.project
        projects[project.id] = project
        per_project[project.id] += entry.minutes
        summary = days[entry.spent_on]
        summary.minutes_by_project[project.id] = (
            summary.minutes_by_project.get(project.id, 0) + entry.minutes
        )
        summary.rows.append(
            EntryRow(
                entry,
                utc_to_local(entry.started_at, zone_name),
                utc_to_local(entry.ended_at, zone_name),
            )
        )
    totals = sorted(
        (ProjectTotal(projects[pid], minutes) for pid, minutes in per_project.items()),
        key=lambda total: (-total.minutes, total.project.name.lower(), total.project.id),
    )
    return WeekSummary(week, list(days.values()), totals)
