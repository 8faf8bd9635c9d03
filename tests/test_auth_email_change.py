"""Changing the address: a link to the NEW address, a notice to the old one; the same answer
whether or not the new address is taken; the link works once, expires, refuses tampering and
an address taken meanwhile; until it is followed the old address still logs in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.auth_support import (
    PASSWORD,
    capture_mail_log,
    is_logged_in,
    log_in,
    mails_to,
    user_row,
)
from tests.conftest import dispose, make_app, make_user, sqlite_app
from tests.test_rate_limits import assert_429, from_address

CHANGE_LINK = re.compile(r"https?://[^/\s]+(/auth/email/confirm/[A-Za-z0-9_.\-]+)")
OLD, NEW = "ada@example.com", "ada.new@example.com"


def signed_in(app: Flask, email: str = OLD) -> FlaskClient:
    make_user(app, email=email)
    client = app.test_client()
    assert log_in(client, email=email).status_code == 302
    return client


def ask(client: FlaskClient, new: str = NEW, password: str = PASSWORD):
    return client.post("/auth/email", data={"email": new, "current_password": password})


def change_link(caplog, address: str = NEW) -> str:
    links = [m.group(1) for mail in mails_to(caplog, address) for m in CHANGE_LINK.finditer(mail)]
    assert links, f"no change link mailed to {address}"
    return links[-1]


def asked(app: Flask, caplog, client: FlaskClient, new: str = NEW) -> str:
    with capture_mail_log(caplog):
        assert ask(client, new).status_code == 302
    return change_link(caplog, new.lower())


def test_the_whole_flow(any_app: Flask, caplog) -> None:
    client = signed_in(any_app)
    other_device = any_app.test_client()
    assert log_in(other_device).status_code == 302
    page = client.get("/auth/email").get_data(as_text=True)
    assert "Change your email address" in page and OLD in page

    with capture_mail_log(caplog):
        response = ask(client, "  Ada.New@Example.com ")
        assert response.status_code == 302
        flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Check your mail at {NEW}" in flashed and f"keep logging in with {OLD}" in flashed
    link = change_link(caplog)
    (notice,) = mails_to(caplog, OLD)
    assert "being changed" in notice and NEW in notice and "/auth/email/confirm/" not in notice

    # Nothing changed yet: the old address logs in, the new one does not.
    assert user_row(any_app, OLD) is not None and user_row(any_app, NEW) is None
    assert log_in(any_app.test_client()).status_code == 302
    assert log_in(any_app.test_client(), email=NEW).status_code == 200

    # Opening the link (a mail scanner) changes nothing; the button does.
    shown = client.get(link)
    assert shown.status_code == 200 and NEW in shown.get_data(as_text=True)
    assert user_row(any_app, NEW) is None
    caplog.clear()
    with capture_mail_log(caplog):
        done = client.post(link)
    assert done.status_code == 302
    assert f"Your address is now {NEW}" in client.get(done.headers["Location"]).get_data(
        as_text=True
    )
    user = user_row(any_app, NEW)
    assert user is not None and user.email_confirmed_at is not None
    assert user_row(any_app, OLD) is None
    (changed,) = mails_to(caplog, OLD)
    assert "was changed" in changed and NEW in changed

    # This sign-in goes on, every other one ended; the new address logs in, the old one not.
    assert is_logged_in(client)
    assert not is_logged_in(other_device)
    assert log_in(any_app.test_client(), email=NEW).status_code == 302
    assert log_in(any_app.test_client(), email=OLD).status_code == 200

    # Used: a second time is refused, signed in or not.
    for again in (client.post(link), any_app.test_client().get(link)):
        assert again.status_code == 400
        assert "already been used" in again.get_data(as_text=True)


def test_the_link_works_signed_out_and_then_asks_for_a_login(app: Flask, caplog) -> None:
    client = signed_in(app)
    link = asked(app, caplog, client)
    phone = app.test_client()
    response = phone.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert user_row(app, NEW) is not None
    assert not is_logged_in(client)  # every other sign-in ended
    assert not is_logged_in(phone)


def test_wrong_password_changes_nothing_and_mails_nobody(app: Flask, caplog) -> None:
    client = signed_in(app)
    with capture_mail_log(caplog):
        response = ask(client, password="not the password at all")
    assert response.status_code == 422
    assert "The current password is not correct." in response.get_data(as_text=True)
    assert mails_to(caplog, NEW) == [] and mails_to(caplog, OLD) == []


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (OLD, "That is your address already"),
        ("ADA@example.com ", "That is your address already"),
        ("not-an-address", "Enter a valid email address"),
        ("", "Enter your email address."),
        ("a" * 250 + "@example.com", "Use at most 254 characters."),
    ],
)
def test_an_unusable_new_address_is_a_form_error(app: Flask, caplog, new, message) -> None:
    client = signed_in(app)
    with capture_mail_log(caplog):
        response = ask(client, new)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert mails_to(caplog, OLD) == []


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_note(app: Flask, caplog) -> None:
    make_user(app, email="bob@example.com", name="Bob")
    client = signed_in(app)
    client.get("/auth/email")  # shows (and so clears) the login's welcome
    answers = []
    with capture_mail_log(caplog):
        for new in ("Bob@example.com", "free@example.com"):
            response = ask(client, new)
            assert response.status_code == 302
            page = client.get(response.headers["Location"]).get_data(as_text=True)
            answers.append(page.replace(new.lower(), "NEW"))
    assert answers[0] == answers[1]
    (note,) = mails_to(caplog, "bob@example.com")
    assert "Someone tried" in note or "someone tried" in note
    assert "/auth/email/confirm/" not in note and "Nothing has changed" in note
    assert CHANGE_LINK.search(mails_to(caplog, "free@example.com")[0])
    assert len(mails_to(caplog, OLD)) == 2  # a notice each time, whatever the address
    assert user_row(app, "bob@example.com").name == "Bob"
    assert user_row(app, OLD) is not None


def test_an_address_taken_after_the_link_was_sent_is_refused(any_app: Flask, caplog) -> None:
    client = signed_in(any_app)
    link = asked(any_app, caplog, client, "Ada.New@example.com")
    make_user(any_app, email=NEW, name="Quick")
    response = client.post(link)
    assert response.status_code == 409
    assert f"{NEW} now belongs to another account" in response.get_data(as_text=True)
    assert user_row(any_app, OLD) is not None
    assert user_row(any_app, NEW).name == "Quick"
    assert is_logged_in(client)


def test_the_link_is_dead_once_the_address_changed_by_another_link(app: Flask, caplog) -> None:
    client = signed_in(app)
    first = asked(app, caplog, client, "first@example.com")
    second = asked(app, caplog, client, "second@example.com")
    assert client.post(second).status_code == 302
    response = client.post(first)
    assert response.status_code == 400
    assert "already been used" in response.get_data(as_text=True)
    assert user_row(app, "second@example.com") is not None
    assert user_row(app, "first@example.com") is None


def test_a_password_change_kills_pending_links(app: Flask, caplog) -> None:
    client = signed_in(app)
    link = asked(app, caplog, client)
    new_password = "another long passphrase"
    changed = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "password": new_password,
            "password_confirm": new_password,
        },
    )
    assert changed.status_code == 302
    assert client.post(link).status_code == 400
    assert user_row(app, NEW) is None


def test_the_change_kills_reset_links_mailed_to_the_old_address(app: Flask, caplog) -> None:
    from tests.auth_support import RESET_LINK

    client = signed_in(app)
    with capture_mail_log(caplog):
        app.test_client().post("/auth/reset", data={"email": OLD})
    reset = [m.group(1) for mail in mails_to(caplog, OLD) for m in RESET_LINK.finditer(mail)][-1]
    link = asked(app, caplog, client)
    assert client.post(link).status_code == 302
    assert app.test_client().get(reset).status_code == 400


def test_an_expired_link_is_refused(sqlite_template: Path, tmp_path: Path, caplog) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "db.sqlite3")
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "i", EMAIL_CHANGE_MAX_AGE=-1)
    try:
        client = signed_in(app)
        link = asked(app, caplog, client)
        for response in (client.get(link), client.post(link)):
            assert response.status_code == 400
            assert "has expired" in response.get_data(as_text=True)
        assert user_row(app, NEW) is None
    finally:
        dispose(app)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "x" + t,  # payload changed
        lambda t: t.split(".")[0],  # signature cut off
        lambda t: "a" * 5000,  # oversized
    ],
)
def test_a_tampered_link_is_refused(app: Flask, caplog, mangle) -> None:
    client = signed_in(app)
    link = asked(app, caplog, client)
    token = link.rsplit("/", 1)[1]
    bad = f"/auth/email/confirm/{mangle(token)}"
    for response in (client.get(bad), client.post(bad)):
        assert response.status_code == 400
        assert "is not valid" in response.get_data(as_text=True)
    assert user_row(app, NEW) is None


def test_other_links_are_not_change_links(app: Flask, caplog) -> None:
    """A confirmation or reset token (another salt, no address in it) is refused here."""
    from models import User
    from services.accounts import signed_links

    make_user(app)
    with app.test_request_context():
        user = user_row(app, OLD)
        from extensions import db

        user = db.session.get(User, user.id)
        tokens = [
            signed_links.make_token(signed_links.PASSWORD_RESET, user),
            signed_links.make_token(signed_links.EMAIL_CONFIRMATION, user, data=NEW),
            signed_links.make_token(signed_links.EMAIL_CHANGE, user),  # right salt, no address
        ]
    client = app.test_client()
    for token in tokens:
        response = client.post(f"/auth/email/confirm/{token}")
        assert response.status_code == 400
    assert user_row(app, NEW) is None


def test_the_page_needs_a_login(app: Flask) -> None:
    client = app.test_client()
    for response in (client.get("/auth/email"), ask(client)):
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_requests_are_rate_limited(sqlite_template: Path, tmp_path: Path, caplog) -> None:
    app = sqlite_app(
        sqlite_template,
        tmp_path,
        RATELIMIT_EMAIL_CHANGE="3 per hour",
        RATELIMIT_EMAIL_CHANGE_PER_USER="2 per hour",
        RATELIMIT_EMAIL_CHANGE_PER_ACCOUNT="2 per hour",
    )
    try:
        make_user(app)
        make_user(app, email="bob@example.com", name="Bob")
        ada = from_address(app, "198.51.100.20")
        assert log_in(ada).status_code == 302
        for n in range(2):
            assert ask(ada, f"new{n}@example.com").status_code == 302
        assert_429(ask(ada, "new9@example.com"))  # per user
        # Mails to one address are counted whoever asks (Bob, from elsewhere).
        bob = from_address(app, "192.0.2.30")
        assert log_in(bob, email="bob@example.com").status_code == 302
        assert ask(bob, "new0@example.com").status_code == 302
        assert_429(ask(bob, "new0@example.com"))
        assert bob.get("/auth/email").status_code == 200  # the page itself is not limited
    finally:
        dispose(app)


def test_posts_need_the_csrf_token(sqlite_template: Path, tmp_path: Path, caplog) -> None:
    from tests.test_csrf import token_from

    shutil.copyfile(sqlite_template, tmp_path / "db.sqlite3")
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "i", WTF_CSRF_ENABLED=True)
    try:
        make_user(app)
        client = app.test_client()
        token = token_from(client.get("/auth/login").data)
        assert log_in(client).status_code == 400  # no token
        client.post("/auth/login", data={"email": OLD, "password": PASSWORD, "csrf_token": token})
        assert is_logged_in(client)
        with capture_mail_log(caplog):
            assert ask(client).status_code == 400
            assert mails_to(caplog, NEW) == []
            token = token_from(client.get("/auth/email").data)
            data = {"email": NEW, "current_password": PASSWORD, "csrf_token": token}
            assert client.post("/auth/email", data=data).status_code == 302
        link = change_link(caplog)
        assert client.post(link).status_code == 400
        assert user_row(app, NEW) is None
        token = token_from(client.get(link).data)
        assert client.post(link, data={"csrf_token": token}).status_code == 302
        assert user_row(app, NEW) is not None
    finally:
        dispose(app)


def test_json_bodies_are_a_415(app: Flask, caplog) -> None:
    client = signed_in(app)
    link = asked(app, caplog, client)
    assert client.post("/auth/email", json={"email": NEW}).status_code == 415
    assert client.post(link, json={}).status_code == 415
    assert user_row(app, NEW) is None
