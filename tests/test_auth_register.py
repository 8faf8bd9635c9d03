"""Sign-up: one answer for every address, a confirmation link for a new one, a warning mail for a
known one, every bad input, and the database-race path."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.auth_support import (
    CONFIRM_LINK,
    PASSWORD,
    capture_mail_log,
    count_users,
    log_in,
    mails_to,
    register,
    user_row,
)
from tests.conftest import make_user

CHECK_MAIL = "Check your mail"


def test_register_page_renders(client) -> None:
    response = client.get("/auth/register")
    assert response.status_code == 200
    for name in (b'name="name"', b'name="email"', b'name="password"', b'name="password_confirm"'):
        assert name in response.data


def test_register_creates_an_unconfirmed_account_and_mails_a_confirmation_link(
    any_app: Flask, caplog
) -> None:
    client = any_app.test_client()
    with capture_mail_log(caplog):
        response = register(client, name="  Ada Lovelace ", email="  Ada@Example.COM ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/check-mail"
    user = user_row(any_app, "ada@example.com")
    assert user is not None and user.name == "Ada Lovelace"
    assert user.password_hash != PASSWORD and user.password_hash.startswith("pbkdf2:sha256:1000$")
    assert user.email_confirmed_at is None
    # The mail went through the mail service (logged: no MAIL_SERVER in testing).
    [mail] = mails_to(caplog, "ada@example.com")
    assert "Subject: Confirm your Timesheet account" in mail
    assert CONFIRM_LINK.search(mail)
    # ... and the account cannot be used before its address is confirmed.
    assert log_in(client, email="ADA@example.com").status_code == 200


def _answer(client, **fields) -> tuple[int, str, str]:
    response = register(client, **fields)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return response.status_code, response.headers["Location"], page


def test_new_and_known_addresses_get_the_same_answer(any_app: Flask, caplog) -> None:
    """The sign-up page must not tell whether an address has an account (the login and reset
    pages don't): same status, same page, same flash. Only the mail differs, and only the
    address's owner reads it."""
    make_user(any_app, email="ada@example.com")
    before = user_row(any_app, "ada@example.com")
    with capture_mail_log(caplog):
        new = _answer(any_app.test_client(), email="grace@example.com", name="Grace")
        known = _answer(any_app.test_client(), email=" ADA@Example.com", name="Other Ada")
    assert new == known
    assert new[0] == 302 and CHECK_MAIL in new[2]
    assert "already exists" not in known[2]

    # Nothing about the existing account changed.
    after = user_row(any_app, "ada@example.com")
    assert (after.name, after.password_hash, after.session_token, after.email_confirmed_at) == (
        before.name,
        before.password_hash,
        before.session_token,
        before.email_confirmed_at,
    )
    assert count_users(any_app) == 2
    # The owner of the known address is told, with links to log in or reset; no confirm link.
    [attempt] = mails_to(caplog, "ada@example.com")
    assert "Subject: Someone tried to sign up with your address" in attempt
    assert "http://localhost/auth/login" in attempt and "http://localhost/auth/reset" in attempt
    assert not CONFIRM_LINK.search(attempt)
    [confirmation] = mails_to(caplog, "grace@example.com")
    assert CONFIRM_LINK.search(confirmation)


def test_known_address_costs_the_same_password_hash(app: Flask, monkeypatch) -> None:
    """Timing: the hash is the expensive step; a known address must not skip it."""
    from services.accounts import users as accounts

    calls: list[str] = []
    real = accounts.hash_password
    monkeypatch.setattr(accounts, "hash_password", lambda p: calls.append(p) or real(p))
    make_user(app, email="ada@example.com")
    register(app.test_client(), email="grace@example.com")
    new_calls = len(calls)
    register(app.test_client(), email="ada@example.com")
    assert new_calls == 1 and len(calls) - new_calls == 1


LONG = "x" * 101


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter your name."),
        ({"name": "   "}, "Enter your name."),
        ({"name": LONG}, "at most 100 characters"),
        ({"name": "Ada\x00"}, "Remove the control or invisible characters"),
        ({"name": "Ada\u202e"}, "Remove the control or invisible characters"),
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


def test_duplicate_caught_by_unique_constraint_gets_the_same_answer_not_500(
    any_app: Flask, monkeypatch, caplog
) -> None:
    """Two requests race: both pass the "is it taken?" check, the database refuses the second."""
    from services.accounts import users as accounts

    make_user(any_app, email="ada@example.com")
    monkeypatch.setattr(accounts, "find_user_by_email", lambda email: None)
    client = any_app.test_client()
    with capture_mail_log(caplog):
        status, location, page = _answer(client, name="Racer")
    assert (status, location) == (302, "/auth/check-mail") and CHECK_MAIL in page
    assert count_users(any_app) == 1
    assert user_row(any_app, "ada@example.com").name == "Ada"
    [attempt] = mails_to(caplog, "ada@example.com")
    assert "Someone tried to sign up" in attempt
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
