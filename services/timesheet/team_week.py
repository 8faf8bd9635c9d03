"""The team week for managers: a person x day grid of hours, totals per person and per project,
and each person's approval status. One query whatever the team's size and its number of
entries: the memberships with their user and this week's approval, outer-joined to the week's
minutes summed by the database per person, day and project."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, load_only

from extensions import db
from models import Membership, Project, Task, TimeEntry, User, WeekApproval
from services import access
from services.timesheet.dates import Week


@dataclass
class PersonRow:
    user: User
    role: str
    former: bool  # removed from the team; their past time stays
    approval: WeekApproval | None
    minutes_by_day: dict[date, int] = field(default_factory=dict)

    @property
    def minutes(self) -> int:
        return sum(self.minutes_by_day.values())

    @property
    def status(self) -> str:
        return self.approval.status if self.approval is not None else "open"


@dataclass(frozen=True)
class ProjectTotal:
    project_id: int
    name: str
    minutes: int


@dataclass(frozen=True)
class TeamWeek:
    week: Week
    people: list[PersonRow]
    projects: list[ProjectTotal]  # most time first
    minutes_by_day: dict[date, int]

    @property
    def minutes(self) -> int:
        return sum(total.minutes for total in self.projects)


def team_week(membership: Membership, week: Week) -> TeamWeek:
    """The grid for the membership's team (``see_team_time`` needed). One query: the week's
    minutes summed by person, day and project (a subquery), outer-joined to every membership
    with its user and approval; a person without time is one row with no day."""
    access.require(membership, "see_team_time")
    team_id = membership.team_id
    sums = (
        select(
            TimeEntry.user_id.label("person_id"),
            TimeEntry.spent_on,
            Project.id.label("project_id"),
            Project.name.label("project_name"),
            func.sum(TimeEntry.minutes).label("minutes"),
        )
        .join(Task, TimeEntry.task_id == Task.id)
        .join(Project, Task.project_id == Project.id)
        .where(Project.team_id == team_id, TimeEntry.spent_on.between(week.monday, week.sunday))
        .group_by(TimeEntry.user_id, TimeEntry.spent_on, Project.id, Project.name)
        .subquery()
    )
    query = (
        select(Membership)
        .join(Membership.user)
        .outerjoin(
            WeekApproval,
            access.week_of_person(Membership.team_id, Membership.user_id, week.monday),
        )
        .outerjoin(sums, access.is_member(sums.c.person_id))
        .where(Membership.team_id == team_id)
        .add_columns(
            WeekApproval, sums.c.spent_on, sums.c.project_id, sums.c.project_name, sums.c.minutes
        )
        # Only the columns the grid shows: the query returns a row per person, day and project,
        # and each row would convert every timestamp of the three entities again.
        .options(
            load_only(Membership.user_id, Membership.role, Membership.left_at),
            contains_eager(Membership.user).load_only(User.id, User.name),
            load_only(WeekApproval.status),
        )
        .order_by(func.lower(User.name), User.id)
    )
    people: dict[int, PersonRow] = {}
    per_project: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    per_day: dict[date, int] = {day: 0 for day in week.days}
    for member, approval, day, project_id, name, minutes in db.session.execute(query):
        row = people.get(member.user_id)
        if row is None:
            row = people[member.user_id] = PersonRow(
                member.user, member.role, member.left_at is not None, approval
            )
        if day is None:
            continue
        row.minutes_by_day[day] = row.minutes_by_day.get(day, 0) + minutes
        per_project[project_id] += minutes
        names[project_id] = name
        per_day[day] += minutes
    shown = [row for row in people.values() if not row.former or row.minutes]
    totals = sorted(
        (ProjectTotal(pid, names[pid], minutes) for pid, minutes in per_project.items()),
        key=lambda total: (-total.minutes, total.name.lower(), total.project_id),
    )
    return TeamWeek(week, shown, totals, per_day)


def team_version(membership: Membership) -> tuple[tuple[int, int, bool], ...]:
    """What the team week's grid is drawn from, as a version: each person of the team (former
    members too) with their ``data_version`` and whether they left. One query. Every write the
    grid shows bumps a person in it (``services/platform/data_version.py``: their entries and
    approvals, their name, their membership; a project or task of the team bumps every member,
    the manager asking included), and a person joining or going changes the list itself."""
    access.require(membership, "see_team_time")
    query = (
        select(Membership.user_id, User.data_version, Membership.left_at.is_not(None))
        .join(Membership.user)
        .where(Membership.team_id == membership.team_id)
        .order_by(Membership.id)
    )
    return tuple((user_id, version, left) for user_id, version, left in db.session.execute(query))


def person_of_team(membership: Membership, user_id: int) -> Membership:
    """A person (member or former member) of the manager's team, for "open one person's week";
    LookupError (404) for anyone else."""
    access.require(membership, "see_team_time")
    person: Membership | None = db.session.scalar(
        access.person_in_team(membership.team_id, user_id)
    )
    if person is None:
        raise LookupError("not a person of this team")
    return person


def person_week_entries(membership: Membership, user_id: int, week: Week) -> list[TimeEntry]:
    """One person's entries of the week on this team's tasks (``see_team_time`` needed)."""
    access.require(membership, "see_team_time")
    return list(
        db.session.scalars(
            select(TimeEntry)
            .where(
                access.person_entry_scope(membership.team_id, user_id),
                TimeEntry.spent_on.between(week.monday, week.sunday),
            )
            .options(joinedload(TimeEntry.task).joinedload(Task.project))
            .order_by(TimeEntry.spent_on, TimeEntry.started_at, TimeEntry.id)
        )
    )
