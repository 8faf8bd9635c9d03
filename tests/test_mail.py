"""The mail service: message building, log delivery, and real SMTP delivery to a local server."""

from __future__ import annotations

import logging
import smtplib
import ssl

import pytest
from flask import Flask

from services.platform import mail
from tests.auth_support import MAIL_LOGGER, free_port, self_signed_certificate, smtp_sink

BODY = "Hello Ada,\n\nopen " + "https://timesheet.example/auth/reset/" + "x" * 150 + "\n\nÀ bientôt"


def test_build_message_uses_plain_values_and_default_sender(app: Flask) -> None:
    with app.app_context():
        message = mail.build_message("ada@example.com", "Subject ✓", BODY)
    assert message["From"] == "timesheet@localhost"
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Subject ✓"
    assert message["Message-ID"]
    assert message.get_content() == BODY + "\n"


def test_header_injection_is_refused(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError):
        mail.build_message("ada@example.com", "Hi\r\nBcc: victim@example.com", BODY)


def test_without_mail_server_the_message_is_logged_readably(app: Flask, caplog) -> None:
    with app.app_context(), caplog.at_level(logging.INFO, logger=MAIL_LOGGER):
        assert mail.send_email("ada@example.com", "Reset", BODY) is True
    [record] = [r for r in caplog.records if r.name == MAIL_LOGGER]
    text = record.getMessage()
    assert "To: ada@example.com" in text and "Subject: Reset" in text
    assert BODY in text  # decoded, long link unbroken: no quoted-printable soft line breaks


def test_smtp_delivery_to_a_real_local_server(app: Flask) -> None:
    with smtp_sink() as sink:
        app.config.update(
            sink.mail_settings(), MAIL_DEFAULT_SENDER="Timesheet <noreply@example.com>"
        )
        with app.app_context():
            assert mail.send_email("ada@example.com", "Reset", BODY) is True
    assert sink.envelopes == [("noreply@example.com", ["ada@example.com"])]
    [message] = sink.messages
    assert message["Subject"] == "Reset"
    assert sink.bodies() == [BODY + "\n"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_smtp_login_with_configured_credentials(app: Flask) -> None:
    with smtp_sink(credentials=("mailer", "s3cret")) as sink:
        app.config.update(sink.mail_settings(), MAIL_USERNAME="mailer", MAIL_PASSWORD="s3cret")
        with app.app_context():
            mail.deliver(mail.build_message("ada@example.com", "Hi", BODY))
            app.config["MAIL_PASSWORD"] = "wrong"
            with pytest.raises(smtplib.SMTPAuthenticationError):
                mail.deliver(mail.build_message("ada@example.com", "Hi", BODY))
    # smtplib tries each mechanism the server offers (PLAIN, then LOGIN) before giving up.
    assert sink.logins[0] == ("mailer", "s3cret")
    assert set(sink.logins[1:]) == {("mailer", "wrong")}
    assert len(sink.messages) == 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("smtp-tls"))


def test_starttls_and_login_against_a_real_tls_server(app: Flask, certificate, monkeypatch) -> None:
    """The production path: STARTTLS with certificate checks, then AUTH, then the message."""
    cert, _key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust our test CA (read by OpenSSL)
    with smtp_sink(credentials=("mailer", "s3cret"), tls=certificate) as sink:
        app.config.update(
            sink.mail_settings(tls=True), MAIL_USERNAME="mailer", MAIL_PASSWORD="s3cret"
        )
        with app.app_context():
            assert mail.send_email("ada@example.com", "Over TLS", BODY) is True
    assert sink.logins == [("mailer", "s3cret")]
    assert [m["Subject"] for m in sink.messages] == ["Over TLS"]


def test_starttls_refuses_an_untrusted_certificate(app: Flask, certificate) -> None:
    with smtp_sink(tls=certificate) as sink:
        app.config.update(sink.mail_settings(tls=True))
        with app.app_context(), pytest.raises(ssl.SSLCertVerificationError):
            mail.deliver(mail.build_message("ada@example.com", "Hi", BODY))
    assert sink.messages == []


def test_use_tls_insists_on_starttls(app: Flask) -> None:
    """MAIL_USE_TLS never silently falls back to plain text: a server without STARTTLS fails."""
    with smtp_sink() as sink:
        app.config.update(sink.mail_settings(tls=True))
        with app.app_context(), pytest.raises(smtplib.SMTPNotSupportedError):
            mail.deliver(mail.build_message("ada@example.com", "Hi", BODY))
    assert sink.messages == []


def test_send_email_logs_and_reports_a_failed_delivery(app: Flask, caplog) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    with app.app_context(), caplog.at_level(logging.INFO, logger=MAIL_LOGGER):
        assert mail.send_email("ada@example.com", "Hi", BODY) is False
    assert any("Could not send mail to ada@example.com" in r.getMessage() for r in caplog.records)


def test_registration_survives_a_mail_server_that_is_down(app: Flask) -> None:
    from tests.auth_support import count_users, register

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    response = register(app.test_client())
    assert response.status_code == 302
    assert count_users(app) == 1


def test_account_mail_goes_through_send_email_only(app: Flask, monkeypatch) -> None:
    """The one-line switch to the worker: every account mail passes send_email, with strings."""
    from tests.auth_support import register

    sent = []
    monkeypatch.setattr(mail, "send_email", lambda *args: sent.append(args) or True)
    client = app.test_client()
    register(client)
    register(client)  # the address is known now
    client.post("/auth/reset", data={"email": "ada@example.com"})
    assert [args[1] for args in sent] == [
        "Confirm your Timesheet account",
        "Someone tried to sign up with your address",
        "Reset your Timesheet password",
    ]
    assert all(isinstance(value, str) for args in sent for value in args)
