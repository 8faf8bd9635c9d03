"""Confirming the address: the mailed link works once, then refuses; expired and tampered links
are refused with a clear message; an unconfirmed login is told to confirm and gets a new link;
a password reset confirms too."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.auth_support import (
    RESET_LINK,
    capture_mail_log,
    confirm_link,
    is_logged_in,
    log_in,
    mails_to,
    register,
    user_row,
)
from tests.conftest import dispose, make_user, sqlite_app

UNCONFIRMED = "Confirm your email address first"


def signed_up(app: Flask, caplog) -> str:
    """Sign Ada up (unconfirmed) and return the path of the mailed confirmation link."""
    with capture_mail_log(caplog):
        assert register(app.test_client()).status_code == 302
    return confirm_link(caplog)


def test_link_confirms_once_signs_in_and_lands_on_the_empty_week(any_app: Flask, caplog) -> None:
    link = signed_up(any_app, caplog)
    client = any_app.test_client()
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm my address" in page.data
    # Opening the link (as a mail scanner does) changes nothing.
    assert user_row(any_app, "ada@example.com").email_confirmed_at is None

    response = client.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/week"
    assert user_row(any_app, "ada@example.com").email_confirmed_at is not None
    week = client.get("/week").get_data(as_text=True)
    assert "Your address is confirmed. Welcome, Ada." in week
    assert "Week total <strong>0:00</strong>" in week  # signed in, on their (empty) week

    # A second use is refused with a clear message, and changes nothing.
    other = any_app.test_client()
    again = other.get(link)
    assert again.status_code == 400
    assert "already confirmed: the link has been used" in again.get_data(as_text=True)
    assert other.post(link).status_code == 400
    assert not is_logged_in(other)


def test_expired_link_is_refused_with_a_message(tmp_path, sqlite_template, caplog) -> None:
    # Every token is already too old.
    app = sqlite_app(sqlite_template, tmp_path, EMAIL_CONFIRMATION_MAX_AGE=-1)
    link = signed_up(app, caplog)
    client = app.test_client()
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "This confirmation link has expired." in response.get_data(as_text=True)
    assert user_row(app, "ada@example.com").email_confirmed_at is None
    assert not is_logged_in(client)
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
def test_tampered_link_is_refused_with_a_message(app: Flask, caplog, mangle) -> None:
    link = signed_up(app, caplog)
    bad = "/auth/confirm/" + mangle(link.rsplit("/", 1)[1])
    client = app.test_client()
    for response in (client.get(bad), client.post(bad)):
        assert response.status_code == 400
        assert "This confirmation link is not valid." in response.get_data(as_text=True)
    assert user_row(app, "ada@example.com").email_confirmed_at is None


def test_a_reset_link_is_no_confirmation_link(app: Flask, caplog) -> None:
    signed_up(app, caplog)
    caplog.clear()
    with capture_mail_log(caplog):
        app.test_client().post("/auth/reset", data={"email": "ada@example.com"})
    reset = RESET_LINK.search(mails_to(caplog, "ada@example.com")[0]).group(1)
    forged = "/auth/confirm/" + reset.rsplit("/", 1)[1]
    assert app.test_client().post(forged).status_code == 400
    assert user_row(app, "ada@example.com").email_confirmed_at is None


def test_unconfirmed_login_says_confirm_first_and_offers_a_new_link(any_app: Flask, caplog) -> None:
    first = signed_up(any_app, caplog)
    client = any_app.test_client()
    response = log_in(client)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and UNCONFIRMED in page
    assert 'action="/auth/confirm/resend"' in page and 'value="ada@example.com"' in page
    assert not is_logged_in(client)
    # Only the right password learns that: a wrong one gets the usual answer.
    wrong = log_in(client, password="not the password").get_data(as_text=True)
    assert "Invalid email or password." in wrong and UNCONFIRMED not in wrong

    caplog.clear()
    with capture_mail_log(caplog):
        resend = client.post("/auth/confirm/resend", data={"email": "ada@example.com"})
    assert resend.status_code == 302 and resend.headers["Location"] == "/auth/check-mail"
    second = confirm_link(caplog)
    assert client.post(second).status_code == 302
    assert is_logged_in(client)
    assert client.get(first).status_code == 400  # the address is confirmed: both links are used


def test_resend_answers_the_same_and_mails_only_an_unconfirmed_account(app: Flask, caplog) -> None:
    make_user(app, email="confirmed@example.com")
    make_user(app, email="waiting@example.com", email_confirmed_at=None)
    client = app.test_client()
    answers = set()
    with capture_mail_log(caplog):
        for email in ("nobody@example.com", "confirmed@example.com", "waiting@example.com"):
            response = client.post("/auth/confirm/resend", data={"email": email})
            answers.add((response.status_code, response.headers["Location"]))
    assert answers == {(302, "/auth/check-mail")}
    assert not mails_to(caplog, "nobody@example.com")
    assert not mails_to(caplog, "confirmed@example.com")
    assert len(mails_to(caplog, "waiting@example.com")) == 1


def test_resend_with_a_bad_address_is_a_form_error(client) -> None:
    response = client.post("/auth/confirm/resend", data={"email": "not-an-email"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.get_data(as_text=True)


def test_password_reset_confirms_the_address(any_app: Flask, caplog) -> None:
    """The reset link came by mail: following it proves the address, like the confirmation."""
    signed_up(any_app, caplog)
    client = any_app.test_client()
    caplog.clear()
    with capture_mail_log(caplog):
        client.post("/auth/reset", data={"email": "ada@example.com"})
    link = RESET_LINK.search(mails_to(caplog, "ada@example.com")[0]).group(1)
    new = "my fresh new password"
    response = client.post(link, data={"password": new, "password_confirm": new})
    assert response.status_code == 302
    assert user_row(any_app, "ada@example.com").email_confirmed_at is not None
    assert log_in(client, password=new).status_code == 302
    assert is_logged_in(client)
