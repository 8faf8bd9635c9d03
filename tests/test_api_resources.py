"""Each API resource: success, validation failure (422 with field errors), another user's id
(404), on SQLite and PostgreSQL. The same service rules as the web pages."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask

from extensions import db
from models import Project, Report, Task, TimeEntry
from services.reports import exports
from tests.api_support import any_tag, assert_problem, fresh, owner_with_task
from tests.timesheet_support import add_entry, count, snapshot

MONDAY = date(2026, 11, 16)


# --- Projects -----------------------------------------------------------------------------------


def test_projects_create_read_rename_archive(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    created = client.post("/api/v1/projects", json={"name": "  Gemini  "}, headers=owner.headers)
    assert created.status_code == 201
    project = created.get_json()
    assert project["name"] == "Gemini" and project["archived"] is False
    assert created.headers["Location"].endswith(f"/api/v1/projects/{project['id']}")
    assert project["created_at"].endswith("+00:00")
    read = client.get(created.headers["Location"], headers=owner.headers)
    assert read.get_json() == project
    assert read.headers["ETag"] == created.headers["ETag"]
    changed = client.patch(
        created.headers["Location"],
        json={"name": "Gemini 2", "archived": True},
        headers={**owner.headers, "If-Match": created.headers["ETag"]},
    )
    assert changed.status_code == 200
    assert changed.get_json()["name"] == "Gemini 2" and changed.get_json()["archived"] is True
    listed = client.get("/api/v1/projects?archived=true", headers=owner.headers).get_json()
    assert [p["name"] for p in listed] == ["Gemini 2"]


def test_project_names_follow_the_service_rules(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    before = snapshot(any_app)
    taken = client.post("/api/v1/projects", json={"name": "APOLLO"}, headers=owner.headers)
    assert "already has a project" in assert_problem(taken, 409)["detail"]
    empty = assert_problem(
        client.post("/api/v1/projects", json={"name": "   "}, headers=owner.headers), 422
    )
    assert empty["errors"] == {"name": ["Enter a name."]}
    long = client.post("/api/v1/projects", json={"name": "x" * 101}, headers=owner.headers)
    assert "100 characters" in assert_problem(long, 422)["errors"]["name"][0]
    for broken in ("a\x00b", "a\ud800b", "bell\x07"):  # NUL and lone surrogates cannot be stored
        refused = client.post("/api/v1/projects", json={"name": broken}, headers=owner.headers)
        assert (
            "control or invisible characters" in assert_problem(refused, 422)["errors"]["name"][0]
        )
    missing = assert_problem(client.post("/api/v1/projects", json={}, headers=owner.headers), 422)
    assert "name" in missing["errors"]
    rename = client.patch(
        f"/api/v1/projects/{owner.project_id}", json={"name": ""}, headers=any_tag(owner.headers)
    )
    assert_problem(rename, 422)
    assert snapshot(any_app) == before


def test_another_users_ids_are_404_and_unchanged(any_app: Flask) -> None:
    victim = owner_with_task(any_app)
    entry_id = add_entry(any_app, victim.user_id, victim.task_id, MONDAY)
    other = owner_with_task(any_app, email="bob@example.com")
    client = any_app.test_client()
    before = snapshot(any_app)
    for path in (
        f"/api/v1/projects/{victim.project_id}",
        f"/api/v1/projects/{victim.project_id}/tasks",
        f"/api/v1/tasks/{victim.task_id}",
        f"/api/v1/entries/{entry_id}",
    ):
        assert_problem(client.get(path, headers=other.headers), 404)
    writes = [
        ("PATCH", f"/api/v1/projects/{victim.project_id}", {"name": "Mine"}),
        ("POST", f"/api/v1/projects/{victim.project_id}/tasks", {"name": "Mine"}),
        ("PATCH", f"/api/v1/tasks/{victim.task_id}", {"closed": True}),
        ("PATCH", f"/api/v1/entries/{entry_id}", {"minutes": 5}),
        ("DELETE", f"/api/v1/entries/{entry_id}", None),
    ]
    for method, path, body in writes:
        sent = client.open(path, method=method, json=body, headers=any_tag(other.headers))
        assert_problem(sent, 404)
    # Logging time on someone else's task is refused like a task that does not exist.
    foreign = client.post(
        "/api/v1/entries",
        json={"task_id": victim.task_id, "started_at": "2026-11-16T09:00:00Z", "minutes": 30},
        headers=other.headers,
    )
    assert assert_problem(foreign, 422)["errors"] == {"task_id": ["Choose one of your open tasks."]}
    assert snapshot(any_app) == before


# --- Tasks --------------------------------------------------------------------------------------


def test_tasks_create_list_rename_close(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    created = client.post(
        f"/api/v1/projects/{owner.project_id}/tasks", json={"name": "Build"}, headers=owner.headers
    )
    assert created.status_code == 201
    task = created.get_json()
    assert task["project_id"] == owner.project_id
    location = created.headers["Location"]
    closed = client.patch(
        location, json={"closed": True}, headers=fresh(client, location, owner.headers)
    )
    assert closed.get_json()["closed"] is True
    listed = client.get(f"/api/v1/projects/{owner.project_id}/tasks", headers=owner.headers)
    assert [(t["name"], t["closed"]) for t in listed.get_json()] == [
        ("Design", False),
        ("Build", True),
    ]
    taken = client.post(
        f"/api/v1/projects/{owner.project_id}/tasks", json={"name": "design"}, headers=owner.headers
    )
    assert_problem(taken, 409)
    assert count(any_app, Task) == 2


# --- Time entries -------------------------------------------------------------------------------


def test_entries_log_read_change_delete_in_the_users_time_zone(any_app: Flask) -> None:
    owner = owner_with_task(any_app, timezone="Europe/Berlin")
    client = any_app.test_client()
    # 23:30 UTC on Monday is 00:30 on Tuesday in Berlin: the entry counts on Tuesday.
    body = {"task_id": owner.task_id, "started_at": "2026-11-16T23:30:00Z", "minutes": 90}
    created = client.post("/api/v1/entries", json={**body, "note": "late"}, headers=owner.headers)
    assert created.status_code == 201, created.get_json()
    entry = created.get_json()
    assert entry["day"] == "2026-11-17"
    assert entry["started_at"] == "2026-11-17T00:30:00+01:00"
    assert entry["ended_at"] == "2026-11-17T02:00:00+01:00"
    assert entry["minutes"] == 90 and entry["project_id"] == owner.project_id
    location = created.headers["Location"]
    assert client.get(location, headers=owner.headers).get_json() == entry
    tagged = {**owner.headers, "If-Match": created.headers["ETag"]}
    changed = client.patch(location, json={"minutes": 30}, headers=tagged).get_json()
    assert changed["minutes"] == 30 and changed["started_at"] == entry["started_at"]
    assert changed["note"] == "late"
    deleted = client.delete(location, headers=fresh(client, location, owner.headers))
    assert deleted.status_code == 204 and deleted.data == b""
    assert_problem(client.get(location, headers=owner.headers), 404)


def test_entries_follow_the_service_rules(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    add_entry(any_app, owner.user_id, owner.task_id, MONDAY, "00:00", minutes=23 * 60)
    client = any_app.test_client()
    before = snapshot(any_app)

    def post(**fields):
        body = {"task_id": owner.task_id, "started_at": "2026-11-16T09:00:00+00:00", "minutes": 30}
        return client.post("/api/v1/entries", json={**body, **fields}, headers=owner.headers)

    too_much = assert_problem(post(minutes=90), 422)
    assert "more than 24 h" in too_much["errors"]["minutes"][0]
    assert "minutes" in assert_problem(post(minutes=0), 422)["errors"]
    assert "minutes" in assert_problem(post(minutes="30"), 422)["errors"]  # a number, not text
    naive = assert_problem(post(started_at="2026-11-16T09:00:00"), 422)
    assert "started_at" in naive["errors"]
    old = assert_problem(post(started_at="1900-01-01T09:00:00+00:00"), 422)
    assert "1970" in old["errors"]["started_at"][0]
    far = assert_problem(post(started_at="0001-01-01T00:00:00+05:00"), 422)
    assert "started_at" in far["errors"]
    assert "note" in assert_problem(post(note="x" * 501), 422)["errors"]
    assert "note" in assert_problem(post(note="nul\x00"), 422)["errors"]
    assert "unknown" in assert_problem(post(unknown=1), 422)["errors"]
    assert snapshot(any_app) == before


def test_entries_list_filters_by_days_project_and_task(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    from tests.timesheet_support import add_project, add_task

    other_project = add_project(any_app, owner.user_id, "Zeus")
    other_task = add_task(any_app, other_project, "Ops")
    first = add_entry(any_app, owner.user_id, owner.task_id, MONDAY)
    second = add_entry(any_app, owner.user_id, other_task, MONDAY + timedelta(days=1))
    third = add_entry(any_app, owner.user_id, owner.task_id, MONDAY + timedelta(days=9))
    client = any_app.test_client()

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/entries{query}", headers=owner.headers)
        assert response.status_code == 200, response.get_json()
        return [entry["id"] for entry in response.get_json()]

    assert ids("") == [third, second, first]
    assert ids("?from=2026-11-16&to=2026-11-22") == [second, first]
    assert ids(f"?project_id={other_project}") == [second]
    assert ids(f"?task_id={owner.task_id}&from=2026-11-20") == [third]
    assert (
        "from"
        in assert_problem(client.get("/api/v1/entries?from=someday", headers=owner.headers), 422)[
            "errors"
        ]
    )


# --- Weekly summary -----------------------------------------------------------------------------


def test_week_summary_per_day_and_per_project(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    add_entry(any_app, owner.user_id, owner.task_id, MONDAY, minutes=60)
    add_entry(any_app, owner.user_id, owner.task_id, MONDAY, "11:00", minutes=30)
    add_entry(any_app, owner.user_id, owner.task_id, MONDAY + timedelta(days=2), minutes=15)
    add_entry(any_app, owner.user_id, owner.task_id, MONDAY + timedelta(days=7), minutes=15)
    client = any_app.test_client()
    week = client.get("/api/v1/week?week=2026-W47", headers=owner.headers).get_json()
    assert (week["week"], week["monday"], week["sunday"]) == (
        "2026-W47",
        "2026-11-16",
        "2026-11-22",
    )
    assert week["minutes"] == 105
    assert [day["minutes"] for day in week["days"]] == [90, 0, 15, 0, 0, 0, 0]
    assert week["days"][0]["projects"] == [{"project_id": owner.project_id, "minutes": 90}]
    assert week["projects"] == [{"project_id": owner.project_id, "name": "Apollo", "minutes": 105}]
    bad = assert_problem(client.get("/api/v1/week?week=2026-W99", headers=owner.headers), 422)
    assert "week" in bad["errors"]
    this_week = client.get("/api/v1/week", headers=owner.headers)
    assert this_week.status_code == 200 and len(this_week.get_json()["days"]) == 7


# --- Report exports -----------------------------------------------------------------------------


def test_report_export_202_poll_then_download(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    add_entry(any_app, owner.user_id, owner.task_id, MONDAY, minutes=45, note="kickoff")
    client = any_app.test_client()
    started = client.post(
        "/api/v1/reports",
        json={"date_from": "2026-11-01", "date_to": "2026-11-30"},
        headers=owner.headers,
    )
    assert started.status_code == 202, started.get_json()
    location = started.headers["Location"]
    report = started.get_json()
    assert report["status"] == "pending" and report["download_url"] is None
    assert location.endswith(f"/api/v1/reports/{report['id']}")
    not_yet = client.get(f"{location}/download", headers=owner.headers)
    assert_problem(not_yet, 409)
    with any_app.app_context():  # what the worker does
        exports.run_export(report["id"])
    done = client.get(location, headers=owner.headers).get_json()
    assert done["status"] == "done" and done["progress"] == 100
    with client.get(done["download_url"], headers=owner.headers) as download:
        assert download.status_code == 200 and download.mimetype == "text/csv"
        assert "kickoff" in download.get_data(as_text=True)
    listed = client.get("/api/v1/reports", headers=owner.headers).get_json()
    assert [r["id"] for r in listed] == [report["id"]]
    other = owner_with_task(any_app, email="bob@example.com")
    assert_problem(client.get(location, headers=other.headers), 404)
    assert_problem(client.get(f"{location}/download", headers=other.headers), 404)


def test_report_range_is_checked_by_the_service(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    backwards = client.post(
        "/api/v1/reports",
        json={"date_from": "2026-11-30", "date_to": "2026-11-01"},
        headers=owner.headers,
    )
    assert "date_to" in assert_problem(backwards, 422)["errors"]
    assert count(any_app, Report) == 0


def test_counts_are_unchanged_by_reads(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    for path in ("/api/v1/projects", "/api/v1/entries", "/api/v1/week", "/api/v1/reports"):
        assert client.get(path, headers=owner.headers).status_code == 200
    with any_app.app_context():
        assert db.session.query(Project).count() == 1
    assert count(any_app, TimeEntry) == 0
