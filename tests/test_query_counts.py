"""The number of SQL queries a page issues does not grow with the data on it (no N+1).

Counted with a ``before_cursor_execute`` listener on the app's engine, around one request.
Transaction control (the ``BEGIN`` our SQLite wiring sends itself, ``COMMIT``...) is not a query.
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
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
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
    app.config["WEEK_CACHE_MAX_BYTES"] = 0  # the rendering path (a cache hit is one query)
    (small, small_id), (big, big_id) = two_users
    fill_week(app, small_id, projects_with_tasks(app, small_id, 1, 1), 5)
    fill_week(app, big_id, projects_with_tasks(app, big_id, 8, 3), 200)
    few = queries_for(app, small, "/week?week=2026-W47")
    many = queries_for(app, big, "/week?week=2026-W47")
    assert few == many, f"5 entries: {few} queries, 200 entries: {many} queries"
    assert many <= 3


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
    """The manager's grid: the session with the user and the membership, then the people (with
    their approval) and the sums in one query. The same for 5 members or 50, for 2 entries each
    or 20."""
    few = queries_for(app, team_with_members(app, 5, 2), "/team/week?week=2026-W47")
    many = queries_for(app, team_with_members(app, 50, 20), "/team/week?week=2026-W47")
    assert few == many, f"5 members: {few} queries, 50 members: {many} queries"
    assert many <= 2


def test_the_team_week_reads_only_the_columns_it_shows(app: Flask) -> None:
    """Its query returns a row per person, day and project: every column of the people, their
    memberships and approvals would be converted again on each row (a tenth of the page's
    time with 20 members)."""
    client = team_with_members(app, 3, 4)
    client.get("/team/week?week=2026-W46")  # warm-up; W47 is not cached yet
    with counted_queries(app) as statements:
        assert client.get("/team/week?week=2026-W47").status_code == 200
    (grid,) = [s for s in statements if "week_approvals" in s]
    selected = grid.split(" FROM ")[0]
    for column in ("users.password_hash", "users.created_at", "memberships.created_at"):
        assert column not in selected, column


# --- Every signed-in page: at most MAX_QUERIES, the same number with little and much data -------

MAX_QUERIES = 3
# Endpoints that are not pages: static files, and the readiness probe (it asks the broker and the
# workers, and answers 503 without them; /healthz, one query, is counted).
NOT_PAGES = {"static", "site.readyz"}
# A page may answer other than 200 for a signed-in user (a redirect away from the sign-up form,
# a report that is not ready to download): its queries are counted all the same.


def an_invitation(team_id: int, inviter_id: int) -> int:
    """An open invitation to the team (in the caller's app context)."""
    from models import Invitation
    from models.columns import utcnow
    from services.teams.invitations import hash_token

    invitation = Invitation(
        team_id=team_id,
        email=f"invited-{inviter_id}@example.com",
        role="member",
        token_hash=hash_token(f"{inviter_id:t>43}"),
        expires_at=utcnow() + timedelta(days=1),
        invited_by_id=inviter_id,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation.id


def add_week_history(user_id: int, rounds: int) -> None:
    """The user's week sent back ``rounds`` times in their team (not locked: every page still
    opens), so the pages showing a week's history show that many events (in the app context)."""
    from models import WeekApproval, WeekEvent
    from tests.timesheet_support import personal_team_id

    approval = WeekApproval(
        team_id=personal_team_id(user_id), user_id=user_id, week_start=MONDAY, status="rejected"
    )
    for n in range(rounds):
        approval.events.append(WeekEvent(action="submitted", actor_id=user_id))
        approval.events.append(WeekEvent(action="rejected", actor_id=user_id, comment=f"#{n}"))
    db.session.add(approval)


def user_with_data(app: Flask, user_id: int, projects: int, tasks: int, entries: int) -> dict:
    """Ids of the user's first project, task, entry and report, after filling in that much."""
    from models import Report

    task_ids = projects_with_tasks(app, user_id, projects, tasks)
    fill_week(app, user_id, task_ids, entries)
    with app.app_context():
        for n in range(max(1, entries // 10)):
            db.session.add(
                Report(user_id=user_id, date_from=MONDAY, date_to=MONDAY + timedelta(days=n))
            )
        add_week_history(user_id, max(1, entries // 40))
        db.session.commit()
        from sqlalchemy import select

        from models import Membership, Project, Task, TimeEntry

        def first(model: type, column) -> int:
            return db.session.scalar(select(model.id).where(column == user_id).order_by(model.id))

        from tests.timesheet_support import personal_team_id

        project_id = db.session.scalar(
            select(Project.id)
            .where(Project.team_id == personal_team_id(user_id))
            .order_by(Project.id)
        )
        return {
            "project_id": project_id,
            "task_id": db.session.scalar(
                select(Task.id).where(Task.project_id == project_id).order_by(Task.id)
            ),
            "entry_id": first(TimeEntry, TimeEntry.user_id),
            "report_id": first(Report, Report.user_id),
            "token": "not-a-reset-token",
            "team_id": personal_team_id(user_id),
            "user_id": user_id,
            "membership_id": db.session.scalar(
                select(Membership.id).where(
                    Membership.user_id == user_id,
                    Membership.team_id == personal_team_id(user_id),
                )
            ),
            "invitation_id": an_invitation(personal_team_id(user_id), user_id),
            "week": "2026-W47",
        }


def signed_in_pages(app: Flask) -> list[tuple[str, list[str]]]:
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods]
    return sorted((r.endpoint, sorted(r.arguments)) for r in rules if r.endpoint not in NOT_PAGES)


def page_queries(app: Flask, client: FlaskClient, endpoint: str, ids: dict) -> tuple[int, int]:
    from flask import url_for

    with app.test_request_context():
        url = url_for(
            endpoint, **{name: ids[name] for name in ids if name in endpoint_args(app, endpoint)}
        )
    client.get(url)  # warm-up
    with counted_queries(app) as statements:
        response = client.get(url)
    assert response.status_code < 500, f"{url}: {response.status_code}"
    return len(statements), response.status_code


def endpoint_args(app: Flask, endpoint: str) -> set[str]:
    return {arg for rule in app.url_map.iter_rules(endpoint) for arg in rule.arguments}


def test_every_signed_in_page_runs_at_most_3_queries_whatever_the_data(
    app: Flask, two_users
) -> None:
    (small, small_id), (big, big_id) = two_users
    few_ids = user_with_data(app, small_id, 1, 1, 1)
    many_ids = user_with_data(app, big_id, 12, 5, 200)
    pages = signed_in_pages(app)
    unknown = {arg for _, args in pages for arg in args} - set(few_ids)
    assert not unknown, f"give user_with_data an id for {unknown}, so those pages are counted too"
    counts = {}
    for endpoint, _args in pages:
        few, few_status = page_queries(app, small, endpoint, few_ids)
        many, many_status = page_queries(app, big, endpoint, many_ids)
        assert few_status == many_status, endpoint
        counts[endpoint] = (few, many)
    too_many = {e: c for e, c in counts.items() if max(c) > MAX_QUERIES}
    growing = {e: c for e, c in counts.items() if c[0] != c[1]}
    assert not too_many, f"more than {MAX_QUERIES} queries (little data, much data): {too_many}"
    assert not growing, f"queries grow with the data (little, much): {growing}"
    assert {"dashboard.week", "projects.index", "entries.index", "reports.index"} <= set(counts)
