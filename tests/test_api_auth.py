"""API authentication: 401 JSON with ``WWW-Authenticate: Bearer`` (never a redirect to the login
page) for no, bad, expired or revoked tokens; read-only tokens refused for writes; a browser
session (cookie) may read but not write; token requests need no CSRF token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from extensions import db
from models import ApiToken, Project
from models.columns import utcnow
from tests.api_support import assert_problem, bearer, make_token, owner_with_task, yesterday
from tests.conftest import login, make_user
from tests.timesheet_support import count

NEW_PROJECT = {"name": "Gemini"}
# One route of each resource, read and write.
READS = [
    "/api/v1/projects",
    "/api/v1/projects/1",
    "/api/v1/projects/1/tasks",
    "/api/v1/tasks/1",
    "/api/v1/entries",
    "/api/v1/entries/1",
    "/api/v1/week",
    "/api/v1/reports",
    "/api/v1/reports/1",
    "/api/v1/reports/1/download",
]
WRITES = [
    ("POST", "/api/v1/projects"),
    ("PATCH", "/api/v1/projects/1"),
    ("POST", "/api/v1/projects/1/tasks"),
    ("PATCH", "/api/v1/tasks/1"),
    ("POST", "/api/v1/entries"),
    ("PATCH", "/api/v1/entries/1"),
    ("DELETE", "/api/v1/entries/1"),
    ("POST", "/api/v1/reports"),
]


def assert_unauthorized(response) -> None:
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Location" not in response.headers
    assert body["type"].endswith("#problem-token-required")


@pytest.mark.parametrize("path", READS)
def test_anonymous_read_is_401_json_not_a_redirect(app: Flask, path: str) -> None:
    assert_unauthorized(app.test_client().get(path))


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_anonymous_write_is_401_json_not_a_redirect(app: Flask, method: str, path: str) -> None:
    response = app.test_client().open(path, method=method, json={})
    assert_unauthorized(response)


@pytest.mark.parametrize(
    "header",
    ["Bearer tsh_not-a-real-token", "Bearer ", "Basic YWRhOnB3", "tsh_abc", "Bearer \u00e9\u00e9"],
)
def test_a_bad_token_is_401(app: Flask, header: str) -> None:
    response = app.test_client().get("/api/v1/projects", headers={"Authorization": header})
    assert_unauthorized(response)


def test_expired_and_revoked_tokens_are_401(any_app: Flask) -> None:
    user_id = make_user(any_app)
    expired = make_token(any_app, user_id, expires_at=yesterday())
    revoked = make_token(any_app, user_id, revoked_at=utcnow())
    fresh = make_token(any_app, user_id, expires_at=utcnow() + timedelta(days=1))
    client = any_app.test_client()
    assert_unauthorized(client.get("/api/v1/projects", headers=bearer(expired)))
    assert_unauthorized(client.get("/api/v1/projects", headers=bearer(revoked)))
    assert client.get("/api/v1/projects", headers=bearer(fresh)).status_code == 200


def test_an_inactive_users_token_is_401(app: Flask) -> None:
    user_id = make_user(app, active=False)
    secret = make_token(app, user_id)
    assert_unauthorized(app.test_client().get("/api/v1/projects", headers=bearer(secret)))


def test_a_valid_token_reads_and_notes_when_it_was_used(any_app: Flask) -> None:
    owner = owner_with_task(any_app)
    response = any_app.test_client().get("/api/v1/projects", headers=owner.headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert [project["name"] for project in response.get_json()] == ["Apollo"]
    with any_app.app_context():
        assert db.session.scalars(db.select(ApiToken.last_used_at)).all()[0] is not None


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_read_only_token_reads_but_may_not_write(any_app: Flask, method: str, path: str) -> None:
    owner = owner_with_task(any_app, scope="read")
    client = any_app.test_client()
    assert client.get("/api/v1/projects", headers=owner.headers).status_code == 200
    response = client.open(path, method=method, json=NEW_PROJECT, headers=owner.headers)
    body = assert_problem(response, 403)
    assert body["type"].endswith("#problem-read-only-token")
    assert count(any_app, Project) == 1


def test_a_cookie_session_may_read_but_not_write(csrf_app: Flask) -> None:
    owner = owner_with_task(csrf_app)
    client = csrf_app.test_client()
    login(client, csrf_app, owner.user_id)
    assert client.get("/api/v1/projects").status_code == 200
    for method, path in WRITES:
        response = client.open(path, method=method, json=NEW_PROJECT)
        body = assert_problem(response, 403)
        assert body["type"].endswith("#problem-cookie-write")
    assert count(csrf_app, Project) == 1


def test_a_token_write_needs_no_csrf_token(csrf_app: Flask) -> None:
    owner = owner_with_task(csrf_app)
    response = csrf_app.test_client().post(
        "/api/v1/projects", json=NEW_PROJECT, headers=owner.headers
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert count(csrf_app, Project) == 2
