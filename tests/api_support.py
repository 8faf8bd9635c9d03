"""Helpers for the JSON API tests: a token made through the service, its header, and a user with
a project and an open task to log time on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from extensions import db
from models import ApiToken
from models.columns import utcnow
from services.tokens import personal as tokens
from tests.conftest import make_user
from tests.timesheet_support import add_project, add_task

PROBLEM = "application/problem+json"


def make_token(app: Flask, user_id: int, scope: str = "write", **fields) -> str:
    """A token's secret; ``fields`` (expires_at, revoked_at) are written onto the row after."""
    with app.app_context():
        new = tokens.create_token(user_id, "test", scope)
        if fields:
            token = db.session.get(ApiToken, new.token.id)
            for name, value in fields.items():
                setattr(token, name, value)
            db.session.commit()
        return new.secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@dataclass(frozen=True)
class Owner:
    user_id: int
    project_id: int
    task_id: int
    headers: dict[str, str]


def owner_with_task(
    app: Flask, email: str = "ada@example.com", scope: str = "write", timezone: str = "UTC"
) -> Owner:
    user_id = make_user(app, email=email, timezone=timezone)
    project_id = add_project(app, user_id, "Apollo")
    task_id = add_task(app, project_id, "Design")
    return Owner(user_id, project_id, task_id, bearer(make_token(app, user_id, scope)))


def yesterday() -> object:
    return utcnow() - timedelta(days=1)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM, response.get_data(as_text=True)
    body = response.get_json(force=True)
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= set(body)
    return body


def fresh(client, url: str, headers: dict[str, str]) -> dict[str, str]:
    """``headers`` with ``If-Match`` set to the ETag a GET of ``url`` answers now: what a client
    sends with a change (PATCH, DELETE) to the object it just read."""
    read = client.get(url, headers=headers)
    assert read.status_code == 200 and read.headers.get("ETag"), read.get_data(as_text=True)
    return {**headers, "If-Match": read.headers["ETag"]}


def any_tag(headers: dict[str, str]) -> dict[str, str]:
    """``If-Match: *``: matches whatever the object is now (for tests about something else)."""
    return {**headers, "If-Match": "*"}
