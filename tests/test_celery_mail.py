"""Mail through the worker: which SMTP failures are retried, publishing once the account is
committed, and a
real ``celery -A celery_worker worker`` delivering to a local SMTP server that first answers
"451 try again later" (a retry with backoff), then accepts."""

from __future__ import annotations

import shutil
import smtplib
import ssl
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from services.platform import mail, queue
from tasks.mail import backoff_seconds, is_transient
from tests.auth_support import free_port, register
from tests.conftest import count_from_another_connection, dispose
from tests.worker_helpers import app_like_worker, running_worker, wait_for, worker_env


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPConnectError(421, b"busy"), True),
        (smtplib.SMTPResponseException(451, b"try later"), True),
        (smtplib.SMTPSenderRefused(452, b"full", "a@b"), True),
        (smtplib.SMTPDataError(421, b"closing"), True),
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (smtplib.SMTPResponseException(554, b"no"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), False),
        (smtplib.SMTPRecipientsRefused({"x@y": (550, b"no such user")}), False),
        (smtplib.SMTPNotSupportedError("STARTTLS"), False),
        (ssl.SSLCertVerificationError("self-signed"), False),
        (ValueError("bug"), False),
    ],
)
def test_transient_smtp_errors_are_retried_permanent_ones_are_not(error, transient) -> None:
    assert is_transient(error) is transient


def test_backoff_doubles_and_is_capped() -> None:
    delays = [backoff_seconds(n, 30, 1200) for n in range(8)]
    assert 24 <= delays[0] <= 30 and 48 <= delays[1] <= 60 and 96 <= delays[2] <= 120
    assert all(d <= 1200 for d in delays) and delays[-1] >= 960


def run_sign_up_tasks(sent: list[tuple]) -> None:
    """Run the queued ``accounts.sign_up`` tasks here, as the worker would (then their mails
    are queued through the same fake)."""
    from flask import current_app

    from services.accounts.users import SIGN_UP_TASK
    from tasks.accounts import sign_up

    # A task called directly runs in the Flask app of the Celery app built last (Celery's
    # current app); Celery is built on first use, so this app's is built here (else another
    # test's app, and its database, would get the accounts).
    current_app.extensions["celery"]
    for _name, *args in [item for item in sent if item[0] == SIGN_UP_TASK]:
        sign_up(*args)


def test_the_confirmation_mail_is_queued_only_once_the_account_is_committed(
    app: Flask, monkeypatch
) -> None:
    """send_email publishes at once, so its callers commit first: at publish time a worker's
    own connection must already see the account the mail is about."""
    seen: list[tuple] = []
    tasks: list[tuple] = []

    def fake_enqueue(task_name: str, *args: str) -> str:
        if task_name != "mail.deliver":
            tasks.append((task_name, *args))
            return "task-id"
        to, subject, _body = args
        stored = count_from_another_connection(
            app, "SELECT count(*) FROM users WHERE email = :e", e=to
        )
        seen.append((task_name, to, subject, stored))
        return "task-id"

    monkeypatch.setattr(queue, "enqueue", fake_enqueue)
    app.config["MAIL_DELIVERY"] = "worker"
    assert register(app.test_client()).status_code == 302
    assert seen == []  # the request queued the sign-up, not a mail
    with app.test_request_context():
        run_sign_up_tasks(tasks)
    assert seen == [("mail.deliver", "ada@example.com", "Confirm your Timesheet account", 1)]


def test_both_sign_up_answers_queue_the_same_task_in_worker_mode(app: Flask, monkeypatch) -> None:
    """In worker mode a sign-up request does the same whatever the address: it queues one
    ``accounts.sign_up`` task (with the password's hash, never the password) and writes nothing,
    so its time tells nothing (tests/test_signup_timing.py). The worker then mails the warning to
    the known address (nothing is written for it) and the link to the new one."""
    from tests.auth_support import PASSWORD, count_users, register
    from tests.conftest import make_user

    sent: list[tuple] = []
    monkeypatch.setattr(queue, "enqueue", lambda name, *args: sent.append((name, *args)) or "id")
    app.config["MAIL_DELIVERY"] = "worker"
    make_user(app, email="ada@example.com")
    register(app.test_client(), email="ada@example.com")
    register(app.test_client(), email="grace@example.com")
    assert [item[0] for item in sent] == ["accounts.sign_up", "accounts.sign_up"]
    assert [item[2] for item in sent] == ["ada@example.com", "grace@example.com"]
    assert all(PASSWORD not in str(item) and item[3].startswith("pbkdf2:") for item in sent)
    assert count_users(app) == 1
    with app.test_request_context():
        run_sign_up_tasks(sent)
    assert count_users(app) == 2
    mails = [(name, to, subject) for name, to, subject, _body in sent[2:]]
    assert mails == [
        ("mail.deliver", "ada@example.com", "Someone tried to sign up with your address"),
        ("mail.deliver", "grace@example.com", "Confirm your Timesheet account"),
    ]


def test_a_sign_up_is_not_lost_when_the_broker_is_down(app: Flask, caplog) -> None:
    """Nothing to queue to: the request does the sign-up itself (its mail fails to queue and is
    logged; the person can ask for a new link once the broker is back)."""
    from tests.auth_support import count_users, register

    app.extensions["celery"].conf.broker_url = "redis://127.0.0.1:1/0"
    app.config["MAIL_DELIVERY"] = "worker"
    assert register(app.test_client()).status_code == 302
    assert count_users(app) == 1
    assert "Could not queue a sign-up (broker down)" in caplog.text


def test_send_email_reports_a_broker_that_is_down_without_raising(app: Flask) -> None:
    app.extensions["celery"].conf.broker_url = "redis://127.0.0.1:1/0"
    app.config["MAIL_DELIVERY"] = "worker"
    with app.app_context():
        assert mail.send_email("ada@example.com", "Hi", "Body") is False


class FlakySink:
    """An SMTP server that answers 451 to the first message and accepts the next ones."""

    def __init__(self) -> None:
        self.attempts = 0
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.attempts == 1:
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.mark.worker
def test_worker_delivers_account_mail_after_a_transient_failure(
    sqlite_template: Path, tmp_path: Path
) -> None:
    from aiosmtpd.controller import Controller

    sink = FlakySink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    database = tmp_path / "app.sqlite3"
    shutil.copyfile(sqlite_template, database)
    env = worker_env(f"sqlite:///{database}", tmp_path / "instance")
    env.update(
        {
            "FLASK_MAIL_SERVER": "127.0.0.1",
            "FLASK_MAIL_PORT": str(port),
            "FLASK_MAIL_USE_TLS": "false",
            "FLASK_MAIL_RETRY_BASE_SECONDS": "0.5",
            "FLASK_MAIL_OUTBOX": "true",  # the worker writes the outbox the web app reads
            # As in production: the worker's sign-up task queues the mail as a task of its own.
            "FLASK_MAIL_DELIVERY": "worker",
        }
    )
    app = app_like_worker(env, f"sqlite:///{database}", tmp_path / "instance")
    app.config["MAIL_DELIVERY"] = "worker"
    try:
        with running_worker(env, tmp_path / "worker.log") as worker:
            response = register(app.test_client())
            assert response.status_code == 302
            wait_for(lambda: sink.messages, 30, "the confirmation mail to arrive", 0.1)
            assert sink.attempts == 2
            assert sink.messages[0]["Subject"] == "Confirm your Timesheet account"
            assert "retry 1 in" in worker.log()
            outbox = tmp_path / "instance" / "outbox"
            wait_for(lambda: list(outbox.glob("*.eml")), 10, "the mail in the outbox", 0.1)
            [written] = list(outbox.glob("*.eml"))  # once, although it was tried twice
            assert b"Subject: Confirm your Timesheet account" in written.read_bytes()
    finally:
        controller.stop()
        dispose(app)
