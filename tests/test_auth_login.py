"""Login and logout: credentials, the generic error, inactive users, remember-me, login_view."""

from __future__ import annotations

from flask import Flask

from tests.auth_support import PASSWORD, is_logged_in, log_in
from tests.conftest import make_user

GENERIC = "Invalid email or password."


def test_login_page_renders(client) -> None:
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b'name="remember"' in response.data


def test_login_with_correct_password_logs_in_and_goes_to_default_page(any_app: Flask) -> None:
    make_user(any_app)
    client = any_app.test_client()
    response = log_in(client, email="  ADA@example.com ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Welcome back, Ada." in page and "Log out" in page
    assert is_logged_in(client)


def test_wrong_password_and_unknown_email_get_the_same_answer(any_app: Flask) -> None:
    make_user(any_app)
    client = any_app.test_client()
    wrong = log_in(client, password="not the password")
    unknown = log_in(client, email="nobody@example.com")
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC in wrong.get_data(as_text=True)
    assert GENERIC in unknown.get_data(as_text=True)
    assert _without_values(wrong.get_data(as_text=True)) == _without_values(
        unknown.get_data(as_text=True)
    )
    assert not is_logged_in(client)


def _without_values(page: str) -> str:
    import re

    return re.sub(r'value="[^"]*"', "", page)


def test_unknown_email_still_checks_a_password_hash(app: Flask, monkeypatch) -> None:
    """Timing: an unknown email costs a hash check too, like a wrong password does."""
    import services.accounts.passwords as passwords

    calls = []
    real = passwords.check_password_hash
    monkeypatch.setattr(
        passwords, "check_password_hash", lambda h, p: calls.append(h) or real(h, p)
    )
    log_in(app.test_client(), email="nobody@example.com")
    assert len(calls) == 1


def test_empty_and_oversized_fields_are_form_errors(client) -> None:
    response = client.post("/auth/login", data={"email": "", "password": ""})
    assert response.status_code == 200
    assert "Enter your email address." in response.get_data(as_text=True)
    response = log_in(client, email="a" * 300 + "@example.com", password="x" * 10_000)
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)


def test_nul_and_control_characters_in_email_are_a_plain_failure(any_app: Flask) -> None:
    """PostgreSQL refuses NUL in text: such input must not reach the database (no 500)."""
    make_user(any_app)
    client = any_app.test_client()
    for email in ("ada@example.com\x00", "\x00", "ada\x00@example.com"):
        response = log_in(client, email=email)
        assert response.status_code == 200
        assert GENERIC in response.get_data(as_text=True)
    response = client.post("/auth/reset", data={"email": "ada\x00@example.com"})
    assert response.status_code == 200


def test_inactive_user_cannot_log_in(any_app: Flask) -> None:
    make_user(any_app, active=False)
    client = any_app.test_client()
    response = log_in(client)
    assert response.status_code == 200
    assert "switched off" in response.get_data(as_text=True)
    assert not is_logged_in(client)
    # With a wrong password an inactive account answers like any failure.
    assert GENERIC in log_in(client, password="wrong password!").get_data(as_text=True)


def test_logout_is_post_only_and_ends_the_session(client, app: Flask) -> None:
    make_user(app)
    log_in(client)
    assert client.get("/auth/logout").status_code == 405
    assert is_logged_in(client)
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert "You are logged out." in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_logout_when_anonymous_just_redirects(client) -> None:
    assert client.post("/auth/logout").status_code == 302


def test_login_required_page_redirects_to_login_with_next_and_message(client, app: Flask) -> None:
    make_user(app)
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fauth%2Fpassword"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please log in to see that page." in page
    assert 'action="/auth/login?next=/auth/password"' in page
    response = log_in(client, next_="/auth/password")
    assert response.headers["Location"] == "/auth/password"


def test_logged_in_user_visiting_login_is_redirected(client, app: Flask) -> None:
    make_user(app)
    log_in(client)
    assert client.get("/auth/login").headers["Location"] == "/"
    assert client.get("/auth/login?next=/auth/password").headers["Location"] == "/auth/password"
    assert client.get("/auth/login?next=//evil.example").headers["Location"] == "/"


def test_remember_cookie_restores_the_session_without_session_cookie(any_app: Flask) -> None:
    make_user(any_app)
    first = any_app.test_client()
    log_in(first, remember=True)
    remember = first.get_cookie("remember_token")
    assert remember is not None and remember.http_only

    fresh = any_app.test_client()  # a browser restart: no session cookie, only the remember one
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get_cookie("session") is None
    assert is_logged_in(fresh)


def test_without_remember_no_remember_cookie_is_set(client, app: Flask) -> None:
    make_user(app)
    log_in(client)
    assert client.get_cookie("remember_token") is None


def test_logout_clears_the_remember_cookie(client, app: Flask) -> None:
    make_user(app)
    log_in(client, remember=True)
    assert client.get_cookie("remember_token") is not None
    client.post("/auth/logout")
    assert client.get_cookie("remember_token") is None
    assert not is_logged_in(client)


def test_password_is_checked_exactly(client, app: Flask) -> None:
    make_user(app)
    assert GENERIC in log_in(client, password=PASSWORD + " ").get_data(as_text=True)
    assert GENERIC in log_in(client, password=PASSWORD.upper()).get_data(as_text=True)
