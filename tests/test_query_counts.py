"""The number of SQL queries a page issues does not grow with the data on it (no N+1).

Counted with a ``before_cursor_execute`` listener on the app's engine, around one request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from extensions import db
from tests.conftest import make_user
from tests.timesheet_support import add_entries, add_entry, add_project, add_task, signed_in

MONDAY = date(2026, 11, 16)


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def queries_for(app: Flask, client: FlaskClient, url: str) -> int:
    client.get(url)  # warm-up: the first request may load things once (e.g. the user)
    with counted_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def projects_with_tasks(app: Flask, user_id: int, projects: int, tasks: int) -> list[int]:
    task_ids = []
    for p in range(projects):
        project_id = add_project(app, user_id, f"Project {p:02d}")
        task_ids += [add_task(app, project_id, f"Task {t}") for t in range(tasks)]
    return task_ids


def fill_week(app: Flask, user_id: int, task_ids: list[int], count: int) -> None:
    rows = []
    for n in range(count):
        day = MONDAY + timedelta(days=n % 7)
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(minutes=n)
        rows.append((task_ids[n % len(task_ids)], day, start, 5))
    add_entries(app, user_id, rows)


@pytest.fixture
def two_users(app: Flask):
    small, small_id = signed_in(app, email="small@example.com")
    big, big_id = signed_in(app, email="big@example.com")
    return (small, small_id), (big, big_id)


def test_week_view_queries_do_not_grow_with_entries(app: Flask, two_users) -> None:
    (small, small_id), (big, big_id) = two_users
    fill_week(app, small_id, projects_with_tasks(app, small_id, 1, 1), 5)
    fill_week(app, big_id, projects_with_tasks(app, big_id, 8, 3), 200)
    few = queries_for(app, small, "/week?week=2026-W47")
    many = queries_for(app, big, "/week?week=2026-W47")
    assert few == many, f"5 entries: {few} queries, 200 entries: {many} queries"
    # BEGIN, the user, the week's entries, the current membership with the week's approval; the
    # top bar's running timer and its task choices (the membership is shared, not read again).
    assert many <= 6


def test_projects_list_queries_do_not_grow_with_projects_and_tasks(app: Flask, two_users) -> None:
    (small, small_id), (big, big_id) = two_users
    projects_with_tasks(app, small_id, 1, 1)
    projects_with_tasks(app, big_id, 20, 6)
    few = queries_for(app, small, "/projects/")
    many = queries_for(app, big, "/projects/")
    assert few == many, f"1 project: {few} queries, 20 projects with tasks: {many} queries"


def test_projects_list_loads_a_few_task_names_not_every_task(app: Flask, two_users) -> None:
    """Each row shows the first open task names and two counts: tasks are counted in SQL and
    at most ``TASK_NAMES_SHOWN`` names per project are fetched, however many tasks there are."""
    from models import Task
    from services.projects.projects import TASK_NAMES_SHOWN

    (big, big_id) = two_users[1]
    for p in range(3):
        project_id = add_project(app, big_id, f"Project {p}")
        for t in range(30):
            add_task(app, project_id, f"Task {t:02d}", closed=t % 3 == 0)
    loaded: list[int] = []

    def count_task(target: Task, _context) -> None:
        loaded.append(target.id)

    event.listen(Task, "load", count_task)
    try:
        page = big.get("/projects/").get_data(as_text=True)
    finally:
        event.remove(Task, "load", count_task)
    assert len(loaded) <= 3 * TASK_NAMES_SHOWN, f"{len(loaded)} tasks loaded for 3 rows"
    assert "Task 01, Task 02, Task 04, Task 05" in page and "20 / 30" in page


def test_entry_list_and_form_queries_do_not_grow(app: Flask, two_users) -> None:
    (small, small_id), (big, big_id) = two_users
    fill_week(app, small_id, projects_with_tasks(app, small_id, 1, 1), 2)
    fill_week(app, big_id, projects_with_tasks(app, big_id, 10, 4), 60)
    for url in ("/entries/", "/entries/new"):
        few = queries_for(app, small, url)
        many = queries_for(app, big, url)
        assert few == many, f"{url}: {few} queries with little data, {many} with much"


def test_project_page_queries_do_not_grow_with_tasks(app: Flask, two_users) -> None:
    (small, small_id), (big, big_id) = two_users
    small_project = add_project(app, small_id, "Small")
    add_task(app, small_project, "Only")
    big_project = add_project(app, big_id, "Big")
    for n in range(20):
        task = add_task(app, big_project, f"Task {n}")
        add_entry(app, big_id, task, MONDAY)
    few = queries_for(app, small, f"/projects/{small_project}")
    many = queries_for(app, big, f"/projects/{big_project}")
    assert few == many


def team_with_members(app: Flask, members: int, entries_each: int) -> FlaskClient:
    """A manager's client for a team of ``members`` people, each with entries this week."""
    from models import Membership, User
    from tests.team_support import add_member, team_of

    manager_client, manager_id = signed_in(app, email=f"boss{members}@example.com")
    team_id = team_of(app, manager_id)
    task_ids = projects_with_tasks(app, manager_id, 3, 2)
    for n in range(members):
        person = make_user(app, email=f"p{members}-{n}@example.com", name=f"P{n}", team=False)
        add_member(app, team_id, person, "member")
        fill_week(app, person, task_ids, entries_each)
    with app.app_context():
        db.session.get(User, manager_id).current_team_id = team_id
        manager = db.session.scalar(db.select(Membership).where(Membership.user_id == manager_id))
        manager.role = "manager"
        db.session.commit()
    return manager_client


def test_team_week_queries_do_not_grow_with_members_and_entries(app: Flask) -> None:
    """The manager's grid: the user, the membership, the people (with their approval), the
    sums, and the top bar's running timer and task choices. Six queries for 5 members or 50,
    for 2 entries each or 20."""
    few = queries_for(app, team_with_members(app, 5, 2), "/team/week?week=2026-W47")
    many = queries_for(app, team_with_members(app, 50, 20), "/team/week?week=2026-W47")
    assert few == many, f"5 members: {few} queries, 50 members: {many} queries"
    assert many <= 6
