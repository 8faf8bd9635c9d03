"""Account test helpers: form posts, a logged-in probe, mail capture, a local SMTP server."""

from __future__ import annotations

import logging
import re
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from extensions import db

PASSWORD = "correct horse battery"
MAIL_LOGGER = "app.mail"
RESET_LINK = re.compile(r"https?://[^/\s]+(/auth/reset/[A-Za-z0-9_.\-]+)")
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/auth/confirm/[A-Za-z0-9_.\-]+)")


def register(client: FlaskClient, **fields: str):
    """Post the sign-up form. The account is not usable until its address is confirmed:
    ``register_confirmed`` goes through the mailed link too."""
    data = {
        "name": "Ada",
        "email": "ada@example.com",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    data.update(fields)
    return client.post("/auth/register", data=data)


def mails_to(caplog: pytest.LogCaptureFixture, address: str) -> list[str]:
    return [mail for mail in logged_mails(caplog) if f"\nTo: {address}\n" in mail]


def confirm_link(caplog: pytest.LogCaptureFixture, address: str = "ada@example.com") -> str:
    """The path of the newest confirmation link mailed to ``address`` (from the mail log)."""
    links = [m.group(1) for mail in mails_to(caplog, address) for m in CONFIRM_LINK.finditer(mail)]
    assert links, f"no confirmation mail to {address}"
    return links[-1]


def register_confirmed(
    client: FlaskClient, caplog: pytest.LogCaptureFixture, **fields: str
) -> None:
    """Sign up, then follow the mailed link: the account is confirmed and this client signed in."""
    with capture_mail_log(caplog):
        assert register(client, **fields).status_code == 302
    link = confirm_link(caplog, fields.get("email", "ada@example.com").strip().lower())
    assert client.post(link).status_code == 302


def log_in(
    client: FlaskClient,
    email: str = "ada@example.com",
    password: str = PASSWORD,
    remember: bool = False,
    next_: str | None = None,
):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    url = "/auth/login" if next_ is None else "/auth/login?" + _query(next_=next_)
    return client.post(url, data=data)


def _query(next_: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": next_})


def is_logged_in(client: FlaskClient) -> bool:
    """Probe with a login_required page the accounts code owns: 200 in, a redirect to login out."""
    response = client.get("/auth/password")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    return False


def user_row(app: Flask, email: str) -> Any:
    """The user with this (stored) email, detached, or None."""
    from sqlalchemy import select

    from models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def count_users(app: Flask) -> int:
    from sqlalchemy import func, select

    from models import User

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def logged_mails(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == MAIL_LOGGER and r.getMessage().startswith("Mail not sent")
    ]


@contextmanager
def capture_mail_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    with caplog.at_level(logging.INFO, logger=MAIL_LOGGER):
        yield


# --- a real SMTP server on 127.0.0.1 -------------------------------------------------------------


@dataclass
class Sink:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def bodies(self) -> list[str]:
        return [
            m.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
            for m in self.messages
        ]

    def mail_settings(self, tls: bool = False) -> dict[str, object]:
        """The app settings that send mail to this server (STARTTLS with ``tls``)."""
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port, "MAIL_USE_TLS": tls}


class _Handler:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.sink.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl command (no Python package needed)."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@contextmanager
def smtp_sink(
    credentials: tuple[str, str] | None = None, tls: tuple[Path, Path] | None = None
) -> Iterator[Sink]:
    """An aiosmtpd server in a thread, storing what it receives. With ``credentials`` it
    requires AUTH LOGIN/PLAIN with exactly those; with ``tls`` (certificate, key) it offers
    STARTTLS and refuses mail before it (and AUTH then needs TLS too)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    sink = Sink("127.0.0.1", free_port())
    options: dict[str, Any] = {}
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        options.update(tls_context=context, require_starttls=True)
    if credentials is not None:

        def authenticator(server, session, envelope, mechanism, auth_data):
            login = (auth_data.login.decode(), auth_data.password.decode())
            sink.logins.append(login)
            return AuthResult(success=login == credentials, handled=False)

        options.update(
            authenticator=authenticator, auth_required=True, auth_require_tls=tls is not None
        )
    controller = Controller(
        _Handler(sink), hostname=sink.host, port=sink.port, ready_timeout=5, **options
    )
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
