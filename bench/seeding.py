"""The benchmarks' data, made once here for bench/run.py, bench/profile_pages.py,
bench/bench_week.py and bench/bench_team_week.py: people with a week of entries, a team with
members, a test client signed in as someone. Run inside an app context; the caller commits."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy import Engine

    from models import Task, Team, User


def queries_and_median_ms(
    client: FlaskClient, url: str, engine: Engine, rounds: int
) -> tuple[int, float]:
    """GET ``url`` once to warm up, then ``rounds`` times: SQL statements per request and the
    median latency in ms (in-process, through the test client)."""
    from sqlalchemy import event

    statements: list[str] = []
    assert client.get(url).status_code == 200  # warm-up
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    timings = []
    for _ in range(rounds):
        began = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append(time.perf_counter() - began)
    return len(statements) // rounds, statistics.median(timings) * 1000


def this_monday() -> date:
    today = date.today()
    return today - timedelta(days=today.weekday())


def person(email: str, name: str, password_hash: str = "-") -> User:
    """A confirmed account (an unconfirmed one cannot sign in), flushed."""
    from extensions import db
    from models import User

    user = User(
        email=email, name=name, password_hash=password_hash, email_confirmed_at=datetime.now(UTC)
    )
    db.session.add(user)
    db.session.flush()
    return user


def projects_with_tasks(team: Team, projects: int, tasks_each: int) -> list[Task]:
    from extensions import db
    from models import Project, Task

    made = [Project(team=team, name=f"Project {p}") for p in range(projects)]
    tasks = [Task(project=project, name=f"Task {t}") for project in made for t in range(tasks_each)]
    db.session.add_all(tasks)
    db.session.flush()
    return tasks


def fill_week(user: User, tasks: list[Task], entries: int, monday: date) -> None:
    """``entries`` entries spread over the week's seven days and the given tasks."""
    from extensions import db
    from models import TimeEntry

    for n in range(entries):
        day = monday + timedelta(days=n % 7)
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        db.session.add(
            TimeEntry(
                user=user,
                task=tasks[n % len(tasks)],
                spent_on=day,
                started_at=start + timedelta(minutes=(n // 7) * 2),
                minutes=1,
                note=f"entry {n}",
            )
        )


def person_with_week(
    email: str, entries: int, monday: date, password_hash: str = "-", projects: int = 4
) -> User:
    """Someone in a team of their own with ``projects`` x 3 tasks and a week of entries."""
    from services.accounts.teams import found_team, personal_team_name

    user = person(email, email.split("@")[0].title(), password_hash)
    team = found_team(user, personal_team_name(user.name))
    fill_week(user, projects_with_tasks(team, projects, 3), entries, monday)
    return user


def team_with_members(
    email: str, members: int, entries_each: int, monday: date, password_hash: str = "-"
) -> User:
    """A team's owner (who sees the team week) and ``members`` members with entries on 3
    projects x 2 tasks; returns the owner."""
    from extensions import db
    from models import Membership
    from services.accounts.teams import found_team

    owner = person(email, "Team Lead", password_hash)
    team = found_team(owner, "Bench team")
    tasks = projects_with_tasks(team, 3, 2)
    for n in range(members):
        member = person(f"member{n}.{email}", f"Member {n}")
        db.session.add(Membership(team=team, user=member, role="member"))
        fill_week(member, tasks[n % len(tasks) :] + tasks[: n % len(tasks)], entries_each, monday)
    return owner


def signed_in_client(app: Flask, user_id: int) -> FlaskClient:
    """A test client whose session is a sign-in of the user (a server-side session row)."""
    from extensions import db
    from models import User
    from services.accounts.sessions import start_session

    with app.app_context():
        key = start_session(db.session.get(User, user_id), "bench")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = key
    return client
