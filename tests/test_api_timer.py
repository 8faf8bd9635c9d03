"""``/api/v1/timer``: start, read, stop (time logged as entries), discard; the same service and
rules as the top bar's timer. A running or missing timer is a 409 (state), bad input a 422."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from extensions import db
from models import TimeEntry, Timer, User
from services.timesheet import approvals
from tests.api_support import assert_problem, bearer, make_token, owner_with_task
from tests.conftest import make_user
from tests.team_support import add_member, team_of
from tests.timesheet_support import add_project, add_task, count


def backdate_running_timer(app: Flask, user_id: int, minutes: int) -> None:
    with app.app_context():
        timer = db.session.scalar(select(Timer).where(Timer.user_id == user_id))
        assert timer is not None
        timer.started_at = datetime.now(UTC) - timedelta(minutes=minutes)
        db.session.commit()


def test_start_read_and_stop_log_the_time_as_an_entry(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    assert_problem(client.get("/api/v1/timer", headers=owner.headers), 404)
    started = client.post(
        "/api/v1/timer", json={"task_id": owner.task_id, "note": "review"}, headers=owner.headers
    )
    assert started.status_code == 201, started.get_data(as_text=True)
    assert started.headers["Location"].endswith("/api/v1/timer")
    body = started.get_json()
    assert body["task_id"] == owner.task_id and body["project_id"] == owner.project_id
    assert body["note"] == "review" and body["elapsed_seconds"] >= 0
    backdate_running_timer(any_app, owner.user_id, 90)
    read = client.get("/api/v1/timer", headers=owner.headers).get_json()
    assert 90 * 60 - 5 <= read["elapsed_seconds"] <= 90 * 60 + 60
    stopped = client.post("/api/v1/timer/stop", headers=owner.headers)
    assert stopped.status_code == 200, stopped.get_data(as_text=True)
    logged = stopped.get_json()
    assert logged["capped_minutes"] == 0
    assert sum(entry["minutes"] for entry in logged["entries"]) in (89, 90, 91)
    assert {entry["note"] for entry in logged["entries"]} == {"review"}
    assert count(any_app, TimeEntry) == len(logged["entries"]) >= 1
    assert_problem(client.get("/api/v1/timer", headers=owner.headers), 404)


def test_one_running_timer_and_stop_or_discard_need_one(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    start = {"task_id": owner.task_id}
    assert client.post("/api/v1/timer", json=start, headers=owner.headers).status_code == 201
    again = assert_problem(client.post("/api/v1/timer", json=start, headers=owner.headers), 409)
    assert "already running" in again["detail"]
    assert client.delete("/api/v1/timer", headers=owner.headers).status_code == 204
    assert count(any_app, TimeEntry) == 0  # discarded: nothing logged
    assert_problem(client.delete("/api/v1/timer", headers=owner.headers), 404)
    none = assert_problem(client.post("/api/v1/timer/stop", headers=owner.headers), 409)
    assert "No timer is running" in none["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "task_id"),
        ({"task_id": "1"}, "task_id"),
        ({"task_id": 2147483647}, "task_id"),
        ({"note": "no task"}, "task_id"),
        ("TASK", "note"),  # filled in below: a long note, a NUL
        ("NUL", "note"),
    ],
)
def test_bad_starts_are_422_with_the_field_and_start_nothing(
    any_app: Flask, body: object, field: str
) -> None:
    owner = owner_with_task(any_app)
    if body == "TASK":
        body = {"task_id": owner.task_id, "note": "x" * 501}
    elif body == "NUL":
        body = {"task_id": owner.task_id, "note": "a\x00b"}
    response = any_app.test_client().post("/api/v1/timer", json=body, headers=owner.headers)
    assert field in assert_problem(response, 422)["errors"]
    assert count(any_app, Timer) == 0


def test_another_users_task_and_timer_are_out_of_reach(any_app: Flask) -> None:
    ada = owner_with_task(any_app)
    bob = owner_with_task(any_app, email="bob@example.com")
    client = any_app.test_client()
    theirs = client.post("/api/v1/timer", json={"task_id": ada.task_id}, headers=bob.headers)
    assert "task_id" in assert_problem(theirs, 422)["errors"]
    assert client.post("/api/v1/timer", json={"task_id": ada.task_id}, headers=ada.headers)
    assert_problem(client.get("/api/v1/timer", headers=bob.headers), 404)
    assert_problem(client.post("/api/v1/timer/stop", headers=bob.headers), 409)
    assert_problem(client.delete("/api/v1/timer", headers=bob.headers), 404)
    assert client.get("/api/v1/timer", headers=ada.headers).status_code == 200  # still running


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/timer"), ("POST", "/api/v1/timer/stop"), ("DELETE", "/api/v1/timer")],
)
def test_no_token_is_401_and_a_read_token_may_not_write(app: Flask, method: str, path: str) -> None:
    owner = owner_with_task(app, scope="read")
    client = app.test_client()
    anonymous = assert_problem(client.open(path, method=method, json={"task_id": 1}), 401)
    assert anonymous["type"].endswith("#problem-token-required")
    refused = client.open(
        path, method=method, json={"task_id": owner.task_id}, headers=owner.headers
    )
    assert assert_problem(refused, 403)["type"].endswith("#problem-read-only-token")
    assert client.get("/api/v1/timer", headers=owner.headers).status_code == 404  # may read
    assert count(app, Timer) == 0


def test_a_stop_into_a_locked_week_is_409_and_keeps_the_timer(app: Flask) -> None:
    owner = make_user(app, email="olive@example.com", name="Olive")
    team_id = team_of(app, owner)
    task = add_task(app, add_project(app, owner, "Apollo"), "Design")
    mia = make_user(app, email="mia@example.com", name="Mia")
    add_member(app, team_id, mia, "member")
    started = datetime.now(UTC) - timedelta(days=8)
    monday = (started - timedelta(days=started.weekday())).date()
    with app.app_context():
        db.session.get(User, mia).current_team_id = team_id
        db.session.add(Timer(user_id=mia, task_id=task, started_at=started))
        db.session.commit()
        approvals.submit_week(db.session.get(User, mia), team_id, monday)
        approvals.approve_week(db.session.get(User, owner), team_id, mia, monday)
    headers = bearer(make_token(app, mia))
    client = app.test_client()
    locked = assert_problem(client.post("/api/v1/timer/stop", headers=headers), 409)
    assert "locked" in locked["detail"]
    assert count(app, TimeEntry) == 0
    assert client.get("/api/v1/timer", headers=headers).status_code == 200


def test_a_retried_stop_with_its_key_answers_the_logged_entries_again(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    start = {"task_id": owner.task_id}
    assert client.post("/api/v1/timer", json=start, headers=owner.headers).status_code == 201
    backdate_running_timer(any_app, owner.user_id, 30)
    keyed = {**owner.headers, "Idempotency-Key": "stop-1"}
    first = client.post("/api/v1/timer/stop", headers=keyed)
    again = client.post("/api/v1/timer/stop", headers=keyed)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert count(any_app, TimeEntry) == len(first.get_json()["entries"]) >= 1
    unkeyed = assert_problem(client.post("/api/v1/timer/stop", headers=owner.headers), 409)
    assert "No timer is running" in unkeyed["detail"]
