"""The login page kept per process (routes/auth/login_page.py): the same page as a fresh rendering,
each session with its own working CSRF token, and a waiting message or ``next`` still shown."""

from __future__ import annotations

import re

from flask import Flask

from routes.auth.forms import LoginForm
from routes.auth.login_page import render_login_page
from tests.auth_support import PASSWORD, is_logged_in
from tests.conftest import make_user
from tests.test_csrf import token_from


def without_token(page: str) -> str:
    return re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+"', r'\1T"', page)


def test_the_kept_page_is_the_fresh_page_with_this_sessions_token(csrf_app: Flask) -> None:
    first, second = csrf_app.test_client(), csrf_app.test_client()
    first.get("/auth/login")  # renders the page and keeps it
    page = second.get("/auth/login").get_data(as_text=True)
    with csrf_app.test_request_context("/auth/login"):
        fresh = render_login_page(LoginForm(), error=None, resend_form=None, next_path=None)
    assert without_token(page) == without_token(fresh)
    assert token_from(page.encode()) != token_from(first.get("/auth/login").data)


def test_a_token_from_the_kept_page_logs_in_and_only_in_its_session(csrf_app: Flask) -> None:
    make_user(csrf_app)
    credentials = {"email": "ada@example.com", "password": PASSWORD}
    csrf_app.test_client().get("/auth/login")  # the next pages come from the kept one
    other, client = csrf_app.test_client(), csrf_app.test_client()
    other_token = token_from(other.get("/auth/login").data)
    token = token_from(client.get("/auth/login").data)
    assert (
        client.post("/auth/login", data={**credentials, "csrf_token": other_token}).status_code
        == 400
    )
    assert not is_logged_in(client)
    assert client.post("/auth/login", data={**credentials, "csrf_token": token}).status_code == 302
    assert is_logged_in(client)


def test_a_waiting_message_and_next_are_still_shown(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this visitor.")]
    page = client.get("/auth/login").get_data(as_text=True)
    assert "A message for this visitor." in page
    assert "A message for this visitor." not in client.get("/auth/login").get_data(as_text=True)
    page = client.get("/auth/login?next=/projects").get_data(as_text=True)
    assert 'action="/auth/login?next=/projects"' in page


def test_without_csrf_protection_the_page_holds_no_token(client) -> None:
    client.get("/auth/login")
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="csrf_token"' not in page and 'name="email"' in page
