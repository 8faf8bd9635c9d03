"""The tokens page: create (the secret shown once, only its hash stored), list, revoke."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select

from extensions import db
from models import ApiToken
from services.tokens.personal import hash_secret
from tests.api_support import bearer
from tests.conftest import login, make_user
from tests.timesheet_support import count

SECRET = re.compile(r'<code id="new-token" class="token-value">(tsh_[^<]+)</code>')


def signed_in(app: Flask, email: str = "ada@example.com"):
    user_id = make_user(app, email=email)
    client = app.test_client()
    login(client, app, user_id)
    return client, user_id


def test_a_token_is_shown_once_and_stored_only_as_a_hash(any_app: Flask) -> None:
    client, _ = signed_in(any_app)
    page = client.post(
        "/tokens/", data={"name": "invoices", "scope": "write", "expires_in_days": "30"}
    )
    assert page.status_code == 201
    assert page.headers["Cache-Control"] == "no-store"
    secret = SECRET.search(page.get_data(as_text=True))[1]
    with any_app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        row = [str(getattr(token, column.key)) for column in token.__table__.columns]
        assert token.token_hash == hash_secret(secret)
        assert all(secret not in value for value in row), row
        assert token.scope == "write" and token.expires_at is not None
    again = client.get("/tokens/").get_data(as_text=True)
    assert secret not in again and "invoices" in again and secret[:10] in again
    assert any_app.test_client().get("/api/v1/projects", headers=bearer(secret)).status_code == 200


def test_a_token_without_a_name_is_refused_and_nothing_is_stored(app: Flask) -> None:
    client, _ = signed_in(app)
    page = client.post("/tokens/", data={"name": "  ", "scope": "read", "expires_in_days": ""})
    assert page.status_code == 422
    assert "Enter a name" in page.get_data(as_text=True)
    assert count(app, ApiToken) == 0


def test_revoking_stops_the_token_and_says_so(any_app: Flask) -> None:
    client, _ = signed_in(any_app)
    page = client.post("/tokens/", data={"name": "ci", "scope": "read", "expires_in_days": ""})
    secret = SECRET.search(page.get_data(as_text=True))[1]
    with any_app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    done = client.post(f"/tokens/{token_id}/revoke", follow_redirects=True)
    assert "revoked" in done.get_data(as_text=True)
    assert any_app.test_client().get("/api/v1/projects", headers=bearer(secret)).status_code == 401


def test_another_users_token_cannot_be_revoked(app: Flask) -> None:
    owner, _ = signed_in(app)
    owner.post("/tokens/", data={"name": "mine", "scope": "read", "expires_in_days": ""})
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    other, _ = signed_in(app, "bob@example.com")
    assert other.post(f"/tokens/{token_id}/revoke").status_code == 404
    assert "mine" not in other.get("/tokens/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_the_tokens_page_needs_a_login(app: Flask) -> None:
    response = app.test_client().get("/tokens/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_token_times_are_shown_in_the_users_time_zone(app: Flask) -> None:
    user_id = make_user(app, email="kei@example.com", timezone="Asia/Tokyo")
    client = app.test_client()
    login(client, app, user_id)
    client.post("/tokens/", data={"name": "late", "scope": "read", "expires_in_days": ""})
    with app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        # 23:30 UTC on the 22nd is 08:30 on the 23rd in Tokyo.
        token.last_used_at = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
        token.created_at = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
        db.session.commit()
    page = client.get("/tokens/").get_data(as_text=True)
    assert "created 23 Nov 2026" in page
    assert "last used 23 Nov 2026, 08:30" in page and "UTC" not in page.split("last used")[1][:40]
