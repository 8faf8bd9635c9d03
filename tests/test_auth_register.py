"""Registration: happy path, every bad input, duplicates (also the database-race path)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.auth_support import (
    PASSWORD,
    capture_mail_log,
    count_users,
    log_in,
    logged_mails,
    register,
    user_row,
)
from tests.conftest import make_user


def test_register_page_renders(client) -> None:
    response = client.get("/auth/register")
    assert response.status_code == 200
    for name in (b'name="name"', b'name="email"', b'name="password"', b'name="password_confirm"'):
        assert name in response.data


def test_register_creates_account_with_normalized_email_and_hashed_password(
    any_app: Flask, caplog
) -> None:
    client = any_app.test_client()
    with capture_mail_log(caplog):
        response = register(client, name="  Ada Lovelace ", email="  Ada@Example.COM ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    user = user_row(any_app, "ada@example.com")
    assert user is not None and user.name == "Ada Lovelace"
    assert user.password_hash != PASSWORD and user.password_hash.startswith("pbkdf2:sha256:1000$")
    assert "account is ready" in client.get("/auth/login").get_data(as_text=True)
    # The welcome mail went through the mail service (logged: no MAIL_SERVER in testing).
    [mail] = logged_mails(caplog)
    assert "To: ada@example.com" in mail and "Welcome to Timesheet" in mail
    assert "http://localhost/auth/login" in mail
    # ... and the new account can log in.
    assert log_in(client, email="ADA@example.com").status_code == 302


LONG = "x" * 101


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter your name."),
        ({"name": "   "}, "Enter your name."),
        ({"name": LONG}, "at most 100 characters"),
        ({"name": "Ada\x00"}, "Use letters, digits"),
        ({"name": "Ada\u202e"}, "Use letters, digits"),
        ({"email": ""}, "Enter your email address."),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"email": "a@" + "b" * 250 + ".com"}, "at most 254 characters"),
        ({"password": "", "password_confirm": ""}, "Choose a password."),
        ({"password": "short", "password_confirm": "short"}, "Use at least 10 characters."),
        ({"password": "p" * 129, "password_confirm": "p" * 129}, "Use at most 128 characters."),
        ({"password_confirm": "something else entirely"}, "The two passwords do not match."),
    ],
)
def test_register_bad_input_rerenders_form_and_stores_nothing(
    app: Flask, fields: dict[str, str], message: str
) -> None:
    response = register(app.test_client(), **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_users(app) == 0


def test_password_min_length_comes_from_config(tmp_path, sqlite_template) -> None:
    import shutil

    from tests.conftest import dispose, make_app

    shutil.copyfile(sqlite_template, tmp_path / "db.sqlite3")
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "i", PASSWORD_MIN_LENGTH=30)
    response = register(app.test_client())  # PASSWORD has 21 characters
    assert "Use at least 30 characters." in response.get_data(as_text=True)
    assert count_users(app) == 0
    dispose(app)


def test_duplicate_email_in_other_case_is_a_form_error(any_app: Flask) -> None:
    make_user(any_app, email="ada@example.com")
    response = register(any_app.test_client(), email=" ADA@Example.com", name="Other Ada")
    assert response.status_code == 200
    assert "An account with this email already exists" in response.get_data(as_text=True)
    assert count_users(any_app) == 1
    assert user_row(any_app, "ada@example.com").name == "Ada"


def test_duplicate_caught_by_unique_constraint_is_a_form_error_not_500(
    any_app: Flask, monkeypatch
) -> None:
    """Two requests race: both pass the "is it taken?" check, the database refuses the second."""
    from services.accounts import users as accounts

    make_user(any_app, email="ada@example.com")
    monkeypatch.setattr(accounts, "find_user_by_email", lambda email: None)
    client = any_app.test_client()
    response = register(client, name="Racer")
    assert response.status_code == 200
    assert "An account with this email already exists" in response.get_data(as_text=True)
    assert count_users(any_app) == 1
    # The session was rolled back: the same client can go on and register another address.
    assert register(client, email="grace@example.com").status_code == 302
    assert count_users(any_app) == 2


def test_logged_in_user_is_sent_away_from_register(client, app: Flask) -> None:
    make_user(app)
    log_in(client)
    response = client.get("/auth/register")
    assert response.status_code == 302
    assert register(client, email="second@example.com").status_code == 302
    assert count_users(app) == 1
