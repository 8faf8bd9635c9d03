"""Changing the password: checks, and the end of every other session and remember cookie."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.auth_support import PASSWORD, is_logged_in, log_in, user_row
from tests.conftest import make_user

NEW = "a brand new passphrase"


def change(client, current: str = PASSWORD, new: str = NEW, confirm: str | None = None):
    return client.post(
        "/auth/password",
        data={
            "current_password": current,
            "password": new,
            "password_confirm": new if confirm is None else confirm,
        },
    )


def test_change_password_page_needs_login(client) -> None:
    assert client.get("/auth/password").status_code == 302
    response = client.post("/auth/password", data={"current_password": PASSWORD})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_change_password_happy_path(any_app: Flask) -> None:
    make_user(any_app)
    client = any_app.test_client()
    log_in(client)
    before = user_row(any_app, "ada@example.com")
    response = change(client)
    assert response.status_code == 302
    after = user_row(any_app, "ada@example.com")
    assert after.password_hash != before.password_hash
    assert after.session_token != before.session_token
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Your password has been changed." in page
    assert is_logged_in(client)  # this session goes on
    client.post("/auth/logout")
    assert "Invalid email or password." in log_in(client).get_data(as_text=True)
    assert log_in(client, password=NEW).status_code == 302


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"current": "wrong password!!"}, "The current password is not correct."),
        ({"current": ""}, "Enter your current password."),
        ({"new": "short"}, "Use at least 10 characters."),
        ({"confirm": "not the same thing"}, "The two passwords do not match."),
        ({"new": "", "confirm": ""}, "Choose a password."),
    ],
)
def test_change_password_bad_input_changes_nothing(app: Flask, kwargs, message: str) -> None:
    make_user(app)
    client = app.test_client()
    log_in(client)
    before = user_row(app, "ada@example.com")
    response = change(client, **kwargs)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    after = user_row(app, "ada@example.com")
    assert after.password_hash == before.password_hash
    assert after.session_token == before.session_token
    assert is_logged_in(client)


def test_password_change_ends_other_sessions_and_remember_cookies(any_app: Flask) -> None:
    make_user(any_app)
    laptop, phone = any_app.test_client(), any_app.test_client()
    log_in(laptop)
    log_in(phone, remember=True)
    phone_remember = phone.get_cookie("remember_token").value
    assert is_logged_in(laptop) and is_logged_in(phone)

    assert change(laptop).status_code == 302

    assert is_logged_in(laptop)
    assert not is_logged_in(phone)  # its session cookie holds the old token
    restored = any_app.test_client()
    restored.set_cookie("remember_token", phone_remember)
    assert not is_logged_in(restored)  # and so does its remember cookie


def test_remembered_session_keeps_working_after_its_own_change(any_app: Flask) -> None:
    make_user(any_app)
    client = any_app.test_client()
    log_in(client, remember=True)
    change(client)
    # The sign-in goes on (only the others ended): its remember cookie still opens a new browser.
    remembered = client.get_cookie("remember_token").value
    restarted = any_app.test_client()
    restarted.set_cookie("remember_token", remembered)
    assert is_logged_in(restarted)
