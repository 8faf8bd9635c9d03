"""A demo account with projects, tasks and two weeks of time, for trying the pages by hand, for
screenshots and for the browser tests. Deterministic: the same call gives the same data."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import delete, select

from extensions import db
from models import Project, Task, Team, TimeEntry, User
from models.columns import utcnow
from services import access
from services.accounts.passwords import hash_password
from services.accounts.teams import found_team, personal_team_name
from services.accounts.users import find_user_by_email, normalize_email
from services.timesheet.dates import local_to_utc, local_today, monday_of

DEMO_PROJECTS = {
    "Website relaunch": ["Design", "Frontend", "Review"],
    "Customer support": ["Tickets", "Calls"],
    "Internal": ["Meetings", "Learning"],
}
ARCHIVED_PROJECT = ("Old intranet", ["Migration"])
NOTES = ["", "", "standup", "pairing with Sam", "release prep", "follow-up", "docs"]


class DemoUserExists(Exception):
    pass


def seed_demo(email: str, password: str, zone: str, *, replace: bool = False) -> User:
    email = normalize_email(email)
    existing = find_user_by_email(email)
    if existing is not None:
        if not replace:
            raise DemoUserExists(email)
        # Its teams go too (only the ones it founded alone: the demo team), then the user.
        _delete_demo_teams(existing)
        db.session.delete(existing)
        db.session.flush()
    user = User(
        email=email,
        name="Demo User",
        password_hash=hash_password(password),
        timezone=zone,
        email_confirmed_at=utcnow(),  # a demo account logs in at once
    )
    db.session.add(user)
    db.session.flush()
    team = found_team(user, personal_team_name(user.name))
    tasks = _projects_and_tasks(team)
    today = local_today(zone)
    rng = random.Random(42)  # noqa: S311  (demo data, not secrets)
    first = monday_of(today) - timedelta(days=7)
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() < 5:
            _log_day(user, day, tasks, rng)
    db.session.commit()
    return user


def _delete_demo_teams(user: User) -> None:
    owned, others = access.owned_by(user.id), access.shared_with_others(user.id)
    for team in db.session.scalars(select(Team).where(Team.id.in_(owned), Team.id.not_in(others))):
        db.session.execute(delete(TimeEntry).where(access.team_entry_scope(team.id)))
        db.session.delete(team)
    db.session.flush()


def _projects_and_tasks(team: Team) -> list[Task]:
    tasks: list[Task] = []
    for name, task_names in DEMO_PROJECTS.items():
        project = Project(team=team, name=name)
        tasks += [Task(project=project, name=task_name) for task_name in task_names]
        db.session.add(project)
    archived_name, archived_tasks = ARCHIVED_PROJECT
    old = Project(team=team, name=archived_name, archived=True)
    for task_name in archived_tasks:
        Task(project=old, name=task_name)
    db.session.add(old)
    db.session.flush()
    return tasks


def _log_day(user: User, day: date, tasks: list[Task], rng: random.Random) -> None:
    """A working day: blocks of 30 min to 3 h from about 8:30, six to eight hours in all."""
    minute = 8 * 60 + rng.choice([0, 30, 45])
    goal = minute + rng.randrange(6 * 60, 8 * 60 + 1, 15)
    while minute < goal:
        length = min(rng.randrange(30, 181, 15), goal - minute)
        start = time(minute // 60, minute % 60)
        db.session.add(
            TimeEntry(
                user=user,
                task=rng.choice(tasks),
                spent_on=day,
                started_at=local_to_utc(day, start, user.timezone),
                minutes=length,
                note=rng.choice(NOTES),
            )
        )
        minute += length + rng.choice([0, 0, 15, 30])
