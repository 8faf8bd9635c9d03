"""Every route of the timesheet blueprints, walked from ``app.url_map``: a second user gets 404
for the first user's ids (GET and POST), an anonymous visitor is sent to log in, a POST without
a CSRF token is refused, and none of it changes a row. A new route fails these tests until it
is listed here."""

from __future__ import annotations

from datetime import date

from flask import Flask
from werkzeug.routing import Rule

from tests.conftest import login, make_user
from tests.timesheet_support import (
    TIMESHEET_BLUEPRINTS,
    add_entry,
    add_project,
    add_task,
    entry_form,
    snapshot,
)

SECRET = "victim-secret"
# Routes without an id in the URL: what a second user may do there, and the proof that the first
# user's data stays out of it.
ROUTES_WITHOUT_IDS = {
    "dashboard.week",
    "projects.index",
    "projects.create",
    "entries.index",
    "entries.create",
    # Undo restores the snapshot in the user's own signed session, through the entries service:
    # the task is looked up in the user's scope again (a foreign task id stores nothing).
    "entries.undo_delete",
    # The timer acts on the signed-in user's own running timer; start looks its task up in the
    # user's scope (tests/test_timer.py::test_start_refuses_a_foreign_or_closed_task...).
    # The grid shows the user's own entries; a cell naming another user's task is refused by
    # the entries service (tests/test_grid.py::test_bad_cells_are_named_and_a_foreign_task...).
    "dashboard.grid",
    "timer.start",
    "timer.stop",
    "timer.discard",
}
ID_ARGUMENTS = {"project_id", "task_id", "entry_id"}


def timesheet_rules(app: Flask) -> list[Rule]:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in TIMESHEET_BLUEPRINTS
    ]
    assert len(rules) >= 14, "the timesheet blueprints are not registered"
    return sorted(rules, key=lambda rule: rule.rule)


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) & {"GET", "POST"})


def victim_data(app: Flask) -> dict[str, int]:
    victim = make_user(app, email="victim@example.com", name="Victim")
    project = add_project(app, victim, f"{SECRET} project")
    task = add_task(app, project, f"{SECRET} task")
    entry = add_entry(app, victim, task, date.today(), note=f"{SECRET} note")
    archived = add_project(app, victim, f"{SECRET} archived", archived=True)
    add_task(app, archived, f"{SECRET} closed", closed=True)
    return {"user_id": victim, "project_id": project, "task_id": task, "entry_id": entry}


def url_for_rule(app: Flask, rule: Rule, ids: dict[str, int]) -> str:
    unknown = set(rule.arguments) - ID_ARGUMENTS
    assert not unknown, f"{rule.endpoint}: add a value for {unknown} to this test"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})


def post_data(ids: dict[str, int]) -> dict[str, str]:
    """A form that would be valid for every route, naming the victim's task."""
    return {"name": "Hijacked", **entry_form(ids["task_id"], duration="1:00", note="hijack")}


def test_every_timesheet_route_is_covered(app: Flask) -> None:
    for rule in timesheet_rules(app):
        if rule.arguments:
            assert set(rule.arguments) <= ID_ARGUMENTS, rule.endpoint
        else:
            assert rule.endpoint in ROUTES_WITHOUT_IDS, (
                f"{rule.endpoint} ({rule.rule}) is new: say in ROUTES_WITHOUT_IDS how a second "
                "user is kept out of the first user's data there"
            )


def test_second_user_gets_404_for_every_id_of_the_first(app: Flask) -> None:
    ids = victim_data(app)
    intruder = make_user(app, email="intruder@example.com", name="Intruder")
    own_project = add_project(app, intruder, "Mine")
    add_task(app, own_project, "Mine too")
    client = app.test_client()
    login(client, app, intruder)
    before = snapshot(app)

    checked = 0
    for rule in timesheet_rules(app):
        if not rule.arguments:
            continue
        url = url_for_rule(app, rule, ids)
        for method in methods(rule):
            response = client.open(url, method=method, data=post_data(ids))
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            assert SECRET not in response.get_data(as_text=True)
            checked += 1
    assert checked >= 12
    assert snapshot(app) == before


def test_routes_without_ids_never_show_or_use_the_first_users_data(app: Flask) -> None:
    ids = victim_data(app)
    intruder = make_user(app, email="intruder@example.com", name="Intruder")
    client = app.test_client()
    login(client, app, intruder)
    before = snapshot(app)

    for rule in timesheet_rules(app):
        if rule.arguments:
            continue
        url = url_for_rule(app, rule, ids)
        for method in methods(rule):
            response = client.open(url, method=method, data=post_data(ids))
            assert SECRET not in response.get_data(as_text=True), f"{method} {url}"
            assert response.status_code in (200, 302, 422), f"{method} {url}"
    # The week of the victim's entry and its "archived" tab: nothing of theirs either.
    for url in ("/week", "/projects/?show=archived", "/entries/new"):
        assert SECRET not in client.get(url).get_data(as_text=True)

    # Creating projects is the intruder's own business; logging time on the victim's task is not.
    after = snapshot(app)
    assert after["time_entries"] == before["time_entries"]
    assert after["tasks"] == before["tasks"]
    victim_projects = [row for row in after["projects"] if row[1] == ids["user_id"]]
    assert victim_projects == [row for row in before["projects"] if row[1] == ids["user_id"]]


def test_anonymous_visitors_are_sent_to_log_in(app: Flask) -> None:
    ids = victim_data(app)
    client = app.test_client()
    before = snapshot(app)
    for rule in timesheet_rules(app):
        url = url_for_rule(app, rule, ids)
        for method in methods(rule):
            response = client.open(url, method=method, data=post_data(ids))
            assert response.status_code in (302, 401), f"{method} {url}"
            if response.status_code == 302:
                assert "/auth/login" in response.location, f"{method} {url}"
    assert snapshot(app) == before


def test_every_post_needs_the_csrf_token(csrf_app: Flask) -> None:
    """The owner's own ids, a valid form, but no token (or a forged one): 400, nothing changes."""
    ids = victim_data(csrf_app)  # here the "victim" is simply the signed-in owner
    client = csrf_app.test_client()
    login(client, csrf_app, ids["user_id"])
    before = snapshot(csrf_app)
    posts = 0
    for rule in timesheet_rules(csrf_app):
        if "POST" not in methods(rule):
            continue
        url = url_for_rule(csrf_app, rule, ids)
        for extra in ({}, {"csrf_token": "forged"}):
            response = client.post(url, data={**post_data(ids), **extra})
            assert response.status_code == 400, f"POST {url} answered {response.status_code}"
            assert "The form expired" in response.get_data(as_text=True)
        posts += 1
    assert posts >= 10
    assert snapshot(csrf_app) == before


def test_forms_carry_the_csrf_token(csrf_app: Flask) -> None:
    ids = victim_data(csrf_app)
    client = csrf_app.test_client()
    login(client, csrf_app, ids["user_id"])
    for url in (
        "/week",
        "/projects/",
        "/projects/new",
        f"/projects/{ids['project_id']}",
        f"/projects/{ids['project_id']}/edit",
        f"/tasks/{ids['task_id']}/edit",
        "/entries/",
        "/entries/new",
        f"/entries/{ids['entry_id']}/edit",
    ):
        page = client.get(url).get_data(as_text=True)
        forms = page.count('method="post"')
        tokens = page.count('name="csrf_token"')
        assert forms >= 1 and tokens >= forms, f"{url}: {forms} forms, {tokens} tokens"
