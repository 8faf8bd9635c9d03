"""``Idempotency-Key`` on the API's creates (``routes/api/idempotency.py``,
``services/tokens/idempotency.py``): a retry with the same key and body answers the first
response (status, body, Location, ETag) and creates no second row; another body with the key is
a 422; an error answer keeps nothing; keys expire and are cleaned up; two concurrent identical
requests on PostgreSQL make one row."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from extensions import db
from models import IdempotencyKey, Project, Report, Task, TimeEntry
from models.columns import utcnow
from services.reports import cleanup
from services.timesheet import entries as entry_service
from tests.api_support import Owner, assert_problem, owner_with_task
from tests.timesheet_support import count

ENTRY = {"started_at": "2026-11-16T09:00:00+00:00", "minutes": 30}


def creates(owner: Owner) -> list[tuple[str, dict, type]]:
    """(path, body, model) of every create that takes a key."""
    return [
        ("/api/v1/projects", {"name": "Gemini"}, Project),
        (f"/api/v1/projects/{owner.project_id}/tasks", {"name": "Build"}, Task),
        ("/api/v1/entries", {**ENTRY, "task_id": owner.task_id}, TimeEntry),
        ("/api/v1/reports", {"date_from": "2026-11-01", "date_to": "2026-11-30"}, Report),
    ]


def keyed(owner: Owner, key: str) -> dict[str, str]:
    return {**owner.headers, "Idempotency-Key": key}


def test_a_retried_create_answers_the_first_response_and_creates_nothing(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    for number, (path, body, model) in enumerate(creates(owner)):
        before = count(any_app, model)
        first = client.post(path, json=body, headers=keyed(owner, f"key-{number}"))
        assert first.status_code in (201, 202), first.get_json()
        again = client.post(
            path, json=dict(reversed(body.items())), headers=keyed(owner, f"key-{number}")
        )
        assert again.status_code == first.status_code
        assert again.get_json() == first.get_json()
        assert again.headers["Location"] == first.headers["Location"]
        assert again.headers.get("ETag") == first.headers.get("ETag")
        assert again.headers["Idempotent-Replayed"] == "true"
        assert "Idempotent-Replayed" not in first.headers
        assert count(any_app, model) == before + 1, path
        # Without a key, the same body is a new request (a second entry; a taken name: 409).
        unkeyed = client.post(path, json=body, headers=owner.headers)
        assert unkeyed.status_code in (201, 202, 409)


def test_the_same_key_with_another_request_is_a_422(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    headers = keyed(owner, "reused")
    assert client.post("/api/v1/projects", json={"name": "A"}, headers=headers).status_code == 201
    other_body = client.post("/api/v1/projects", json={"name": "B"}, headers=headers)
    assert "another request" in assert_problem(other_body, 422)["errors"]["Idempotency-Key"][0]
    entry = {**ENTRY, "task_id": owner.task_id}
    other_path = client.post("/api/v1/entries", json=entry, headers=headers)
    assert_problem(other_path, 422)
    assert count(any_app, Project) == 2 and count(any_app, TimeEntry) == 0
    # Keys are per user: another user's same key is theirs.
    bob = owner_with_task(any_app, email="bob@example.com")
    theirs = client.post("/api/v1/projects", json={"name": "B"}, headers=keyed(bob, "reused"))
    assert theirs.status_code == 201


def test_an_error_answer_keeps_no_key(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    headers = keyed(owner, "fix-and-retry")
    refused = client.post("/api/v1/projects", json={"name": "  "}, headers=headers)
    assert_problem(refused, 422)
    broken = client.post("/api/v1/projects", json={"nom": "x"}, headers=headers)  # schema: 422
    assert_problem(broken, 422)
    assert count(any_app, IdempotencyKey) == 0
    fixed = client.post("/api/v1/projects", json={"name": "Fixed"}, headers=headers)
    assert fixed.status_code == 201
    for bad in ("", "x" * 256, "a\tb"):
        sent = client.post("/api/v1/projects", json={"name": "C"}, headers=keyed(owner, bad))
        assert "Idempotency-Key" in assert_problem(sent, 422)["errors"]
    assert count(any_app, Project) == 2


def test_keys_expire_and_are_cleaned_up(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    client = any_app.test_client()
    body = {**ENTRY, "task_id": owner.task_id}
    first = client.post("/api/v1/entries", json=body, headers=keyed(owner, "day-1"))
    client.post("/api/v1/projects", json={"name": "Old"}, headers=keyed(owner, "old"))
    with any_app.app_context():
        stored = db.session.scalars(db.select(IdempotencyKey)).all()
        assert len(stored) == 2
        assert all(
            timedelta(hours=23) < key.expires_at - key.created_at <= timedelta(hours=24)
            for key in stored
        )
        past = utcnow() - timedelta(seconds=1)
        db.session.execute(update(IdempotencyKey).values(expires_at=past))
        db.session.commit()
    # An expired key is a new request: a second entry.
    later = client.post("/api/v1/entries", json=body, headers=keyed(owner, "day-1"))
    assert later.status_code == 201 and later.get_json()["id"] != first.get_json()["id"]
    assert count(any_app, TimeEntry) == 2
    with any_app.app_context():
        result = cleanup.run_cleanup(utcnow())
    assert result["expired_keys"] == 1  # "old"; "day-1" was taken over and lives on
    assert count(any_app, IdempotencyKey) == 1


@pytest.mark.postgres
def test_two_concurrent_identical_creates_make_one_row(
    pg_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = owner_with_task(pg_app)
    real_create = entry_service.create_entry

    def slow_create(*args, **kwargs):
        time.sleep(0.5)  # the second request arrives while the first is still creating
        return real_create(*args, **kwargs)

    monkeypatch.setattr(entry_service, "create_entry", slow_create)
    start = threading.Barrier(2)
    answers: list = []

    def post() -> None:
        client = pg_app.test_client()
        start.wait(5)
        body = {**ENTRY, "task_id": owner.task_id}
        answers.append(client.post("/api/v1/entries", json=body, headers=keyed(owner, "twice")))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].get_json() == answers[1].get_json()
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert count(pg_app, TimeEntry) == 1
