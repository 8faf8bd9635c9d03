"""Password reset: the same answer for every email, and signed, expiring, single-use links."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from itsdangerous import TimestampSigner

from tests.auth_support import (
    RESET_LINK,
    capture_mail_log,
    is_logged_in,
    log_in,
    logged_mails,
    smtp_sink,
    user_row,
)
from tests.conftest import dispose, make_user, sqlite_app

NEW = "my fresh new password"


def ask_for_link(client, caplog, email: str = "ada@example.com") -> str | None:
    """Ask for a reset mail; return the link's path from the logged mail, or None if no mail."""
    caplog.clear()
    with capture_mail_log(caplog):
        response = client.post("/auth/reset", data={"email": email})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    mails = logged_mails(caplog)
    if not mails:
        return None
    [mail] = mails
    match = RESET_LINK.search(mail)
    assert match, mail
    return match.group(1)


def set_new(client, link: str, password: str = NEW, confirm: str | None = None):
    return client.post(
        link,
        data={"password": password, "password_confirm": password if confirm is None else confirm},
    )


def test_reset_request_page_renders(client) -> None:
    assert b'name="email"' in client.get("/auth/reset").data


def test_reset_flow_end_to_end(any_app: Flask, caplog) -> None:
    make_user(any_app)
    elsewhere = any_app.test_client()
    log_in(elsewhere)
    client = any_app.test_client()
    link = ask_for_link(client, caplog, email=" ADA@example.com ")
    assert link is not None
    assert "we have sent it a link" in client.get("/auth/login").get_data(as_text=True)

    form = client.get(link)
    assert form.status_code == 200 and b'name="password_confirm"' in form.data
    response = set_new(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "Your password has been reset." in client.get("/auth/login").get_data(as_text=True)

    assert not is_logged_in(elsewhere)  # every session made with the old password is over
    assert "Invalid email or password." in log_in(client).get_data(as_text=True)
    assert log_in(client, password=NEW).status_code == 302


def test_unknown_and_inactive_emails_get_the_same_answer_and_no_mail(app: Flask, caplog) -> None:
    make_user(app, email="off@example.com", active=False)
    client = app.test_client()
    assert ask_for_link(client, caplog, email="nobody@example.com") is None
    assert ask_for_link(client, caplog, email="off@example.com") is None
    assert "we have sent it a link" in client.get("/auth/login").get_data(as_text=True)


def test_reset_request_with_bad_email_is_a_form_error(client) -> None:
    for email in ("", "not-an-email", "a@" + "b" * 260 + ".com"):
        response = client.post("/auth/reset", data={"email": email})
        assert response.status_code == 200
        assert b'class="errors"' in response.data


def test_used_link_cannot_be_used_again(app: Flask, caplog) -> None:
    make_user(app)
    client = app.test_client()
    link = ask_for_link(client, caplog)
    assert set_new(client, link).status_code == 302
    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    response = set_new(client, link, password="yet another password")
    assert response.status_code == 400
    assert log_in(client, password=NEW).status_code == 302  # the first reset stands


def test_link_dies_when_password_changes_otherwise(app: Flask, caplog) -> None:
    make_user(app)
    client = app.test_client()
    link = ask_for_link(client, caplog)
    log_in(client)
    client.post(
        "/auth/password",
        data={
            "current_password": "correct horse battery",
            "password": NEW,
            "password_confirm": NEW,
        },
    )
    assert "already been used" in client.get(link).get_data(as_text=True)


def test_an_older_link_dies_when_a_newer_one_is_used(app: Flask, caplog) -> None:
    make_user(app)
    client = app.test_client()
    first = ask_for_link(client, caplog)
    second = ask_for_link(client, caplog)
    assert set_new(client, second).status_code == 302
    assert client.get(first).status_code == 400


def test_expired_link_is_refused_with_a_message(app: Flask, caplog, monkeypatch) -> None:
    make_user(app)
    client = app.test_client()
    with monkeypatch.context() as patch:  # the link was issued two hours ago (max age: one hour)
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 7200)
        link = ask_for_link(client, caplog)
    response = client.get(link)
    assert response.status_code == 400
    assert "This reset link has expired." in response.get_data(as_text=True)
    before = user_row(app, "ada@example.com").password_hash
    assert set_new(client, link).status_code == 400
    assert user_row(app, "ada@example.com").password_hash == before


def test_max_age_comes_from_config(tmp_path, sqlite_template, caplog) -> None:
    # Every token is already too old.
    app = sqlite_app(sqlite_template, tmp_path, PASSWORD_RESET_MAX_AGE=-1)
    make_user(app)
    client = app.test_client()
    link = ask_for_link(client, caplog)
    assert "has expired" in client.get(link).get_data(as_text=True)
    dispose(app)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "x" + t,  # payload changed
        lambda t: t.split(".")[0],  # signature cut off
        lambda t: "garbage",
        lambda t: "a" * 5000,  # oversized
        lambda t: "%00%ff..",
    ],
)
def test_tampered_link_is_refused_with_a_message(app: Flask, caplog, mangle) -> None:
    make_user(app)
    client = app.test_client()
    link = ask_for_link(client, caplog)
    token = link.rsplit("/", 1)[1]
    bad = "/auth/reset/" + mangle(token)
    response = client.get(bad)
    assert response.status_code == 400
    assert "This reset link is not valid." in response.get_data(as_text=True)
    assert set_new(client, bad).status_code == 400
    assert log_in(client).status_code == 302  # the password did not change


def test_token_signed_with_another_key_or_salt_is_refused(app: Flask) -> None:
    from itsdangerous import URLSafeTimedSerializer

    user_id = make_user(app)
    with app.app_context():
        from extensions import db
        from models import User
        from services.accounts.signed_links import (
            EMAIL_CONFIRMATION,
            PASSWORD_RESET,
            _fingerprint,
            make_token,
        )

        user = db.session.get(User, user_id)
        fp = _fingerprint(PASSWORD_RESET, user)
        salt = PASSWORD_RESET.salt
        other_key = URLSafeTimedSerializer("another-secret-key", salt=salt)
        other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other-purpose")
        tokens = [s.dumps({"u": user_id, "f": fp}) for s in (other_key, other_salt)]
        tokens.append(make_token(EMAIL_CONFIRMATION, user))  # a link made for another purpose
        right = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt)
        tokens += [
            right.dumps(p)
            for p in (
                [1, 2],
                {"u": "1", "f": fp},
                {"u": True, "f": fp},
                {"u": 999, "f": fp},
                {"u": user_id},
            )
        ]
    client = app.test_client()
    for token in tokens:
        assert "not valid" in client.get(f"/auth/reset/{token}").get_data(as_text=True), token


def test_reset_form_bad_input_keeps_the_link_usable(app: Flask, caplog) -> None:
    make_user(app)
    client = app.test_client()
    link = ask_for_link(client, caplog)
    response = set_new(client, link, password="short")
    assert response.status_code == 200 and "Use at least 10 characters." in response.get_data(
        as_text=True
    )
    response = set_new(client, link, confirm="different passphrase")
    assert "The two passwords do not match." in response.get_data(as_text=True)
    assert set_new(client, link).status_code == 302


def test_reset_mail_goes_out_by_smtp_when_configured(tmp_path, sqlite_template) -> None:
    with smtp_sink() as sink:
        app = sqlite_app(
            sqlite_template,
            tmp_path,
            **sink.mail_settings(),
            MAIL_DEFAULT_SENDER="Timesheet <noreply@example.com>",
        )
        make_user(app)
        client = app.test_client()
        client.post("/auth/reset", data={"email": "ada@example.com"})
        client.post("/auth/reset", data={"email": "nobody@example.com"})
    assert [rcpt for _sender, rcpt in sink.envelopes] == [["ada@example.com"]]
    [body] = sink.bodies()
    link = RESET_LINK.search(body).group(1)
    assert set_new(client, link).status_code == 302
    assert log_in(client, password=NEW).status_code == 302
    dispose(app)


def test_untrusted_host_cannot_poison_the_reset_link(tmp_path, sqlite_template, caplog) -> None:
    """With TRUSTED_HOSTS set (production should), a forged Host header gets a 400 and no mail."""
    app = sqlite_app(sqlite_template, tmp_path, TRUSTED_HOSTS=["localhost"])
    make_user(app)
    with capture_mail_log(caplog):
        response = app.test_client().post(
            "/auth/reset",
            data={"email": "ada@example.com"},
            base_url="http://evil.example",
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 400
    assert logged_mails(caplog) == []
    dispose(app)
