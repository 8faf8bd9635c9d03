"""Team reports for managers: the team's time over a range of days, optionally one person's or
one project's, as a list on screen with totals per person and per project. The CSV export of the
same selection goes through services/reports/exports.py (``request_export`` with a team).

Every query is limited to the team's projects (access.team_entry_scope): a person or project id
from elsewhere simply matches nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Membership, Project, Task, TimeEntry, User
from services import access
from services.reports.exports import check_range

LIST_LIMIT = 500  # on screen; the CSV export has every row


@dataclass(frozen=True)
class TeamFilter:
    team_id: int
    date_from: date
    date_to: date
    person_id: int | None = None
    project_id: int | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        found = [
            access.person_entry_scope(self.team_id, self.person_id),
            TimeEntry.spent_on.between(self.date_from, self.date_to),
        ]
        if self.project_id is not None:
            found.append(Task.project_id == self.project_id)
        return found


@dataclass(frozen=True)
class TeamReport:
    entries: list[TimeEntry]  # the first LIST_LIMIT, newest first
    total_entries: int
    per_person: list[tuple[str, int]]
    per_project: list[tuple[str, int]]

    @property
    def minutes(self) -> int:
        return sum(minutes for _, minutes in self.per_project)


def make_filter(
    membership: Membership,
    date_from: date,
    date_to: date,
    person_id: int | None,
    project_id: int | None,
) -> TeamFilter:
    """The selection a manager asked for (``see_team_time`` needed); InvalidReportRange for a
    range that cannot make a report."""
    access.require(membership, "see_team_time")
    check_range(date_from, date_to)
    return TeamFilter(membership.team_id, date_from, date_to, person_id, project_id)


def team_report(selection: TeamFilter) -> TeamReport:
    clauses = selection.clauses()
    entries = list(
        db.session.scalars(
            select(TimeEntry)
            .join(Task, TimeEntry.task_id == Task.id)
            .where(*clauses)
            .options(
                joinedload(TimeEntry.task).joinedload(Task.project), joinedload(TimeEntry.user)
            )
            .order_by(TimeEntry.spent_on.desc(), TimeEntry.started_at.desc(), TimeEntry.id.desc())
            .limit(LIST_LIMIT)
        )
    )
    sums = db.session.execute(
        select(User.name, Project.name, func.count(), func.sum(TimeEntry.minutes))
        .select_from(TimeEntry)
        .join(Task, TimeEntry.task_id == Task.id)
        .join(Project, Task.project_id == Project.id)
        .join(TimeEntry.user)
        .where(*clauses)
        .group_by(User.id, User.name, Project.id, Project.name)
    )
    per_person: dict[str, int] = defaultdict(int)
    per_project: dict[str, int] = defaultdict(int)
    total = 0
    for person, project, count, minutes in sums:
        per_person[person] += minutes
        per_project[project] += minutes
        total += count
    return TeamReport(
        entries,
        total,
        sorted(per_person.items(), key=lambda item: (-item[1], item[0].casefold())),
        sorted(per_project.items(), key=lambda item: (-item[1], item[0].casefold())),
    )


def choices(team_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """People (members and former members) and projects of the team, for the filter form."""
    people = db.session.execute(
        select(User.id, User.name)
        .select_from(Membership)
        .join(Membership.user)
        .where(Membership.team_id == team_id)
        .order_by(func.lower(User.name), User.id)
    ).all()
    projects = db.session.execute(
        access.projects_of_team(team_id)
        .with_only_columns(Project.id, Project.name)
        .order_by(func.lower(Project.name), Project.id)
    ).all()
    return [(row[0], row[1]) for row in people], [(row[0], row[1]) for row in projects]
