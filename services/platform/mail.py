"""Outgoing mail. Settings come only from ``current_app.config`` (``MAIL_*``).

Three steps, each replaceable on its own:

- ``build_message`` turns plain values into an ``EmailMessage``;
- ``deliver`` hands it over: written to the log when ``MAIL_BACKEND`` is "log", or is unset with
  no ``MAIL_SERVER`` (development; production refuses that unless "log" is chosen, and then
  ``MAIL_LOG_REDACT_LINKS`` hides the secret part of every link), else sent by SMTP (STARTTLS
  when ``MAIL_USE_TLS``, login when ``MAIL_USERNAME``); errors propagate, so a caller that can
  retry (a worker task) sees them. With ``MAIL_OUTBOX`` on (development) a delivered mail is
  also written to the outbox (``services/platform/outbox.py``);
- ``send_email`` is the ONE function the rest of the app calls for every mail. It takes strings
  only (never ORM objects), so the worker task it queues needs nothing from the request.
"""

from __future__ import annotations

import logging
import random
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from services.platform import outbox, queue

DELIVER_TASK = "mail.deliver"
LINK = re.compile(r"https?://[^\s<>\"']+")
# A path segment or query that long is a token (a reset link's signature), not a page name.
SECRET_PART = re.compile(r"[^/?#]{16,}")
REDACTED = "[redacted]"


def mail_logger() -> logging.Logger:
    """A child of the app's logger, so it follows ``LOG_LEVEL`` (``app.logger`` is ``app``)."""
    return current_app.logger.getChild("mail")


def build_message(to: str, subject: str, body: str, sender: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain="timesheet.local")
    message.set_content(body)
    return message


def backend() -> str:
    """ "log" or "smtp": MAIL_BACKEND when set, else SMTP exactly when MAIL_SERVER is set."""
    config = current_app.config
    return config.get("MAIL_BACKEND") or ("smtp" if config.get("MAIL_SERVER") else "log")


def redact_links(text: str) -> str:
    """Every link with its long parts (tokens) and its query replaced: the log shows that a link
    went out and to which page, never a link that works."""

    def redact(match: re.Match[str]) -> str:
        link = match.group(0)
        origin_end = link.find("/", link.find("//") + 2)
        if origin_end == -1:
            return link
        origin, rest = link[:origin_end], link[origin_end:]
        path, _, query = rest.partition("?")
        path = SECRET_PART.sub(REDACTED, path)
        return origin + path + (f"?{REDACTED}" if query else "")

    return LINK.sub(redact, text)


def deliver(message: EmailMessage) -> None:
    if backend() == "log":
        _log_message(message)
    else:
        _send_by_smtp(message)
    if outbox.is_enabled():
        _write_to_outbox(message)


def _write_to_outbox(message: EmailMessage) -> None:
    """After the hand-over, and never raising: a development convenience that fails must not
    make a worker retry (and send again) a mail that already went out."""
    try:
        outbox.write(message)
    except OSError:
        mail_logger().exception("Could not write mail to %s to the outbox", message["To"])


def _send_by_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
    mail_logger().info("Mail sent by SMTP to %s: %s", message["To"], message["Subject"])


def _log_message(message: EmailMessage) -> None:
    # The decoded body, not message.as_string(): quoted-printable would break long links in two.
    body = message.get_content()
    if current_app.config.get("MAIL_LOG_REDACT_LINKS"):
        body = redact_links(body)
    mail_logger().info(
        "Mail not sent (mail goes to the log); here it is:\nFrom: %s\nTo: %s\nSubject: %s\n\n%s",
        message["From"],
        message["To"],
        message["Subject"],
        body,
    )


def send_email(to: str, subject: str, body: str) -> bool:
    """Send one mail. The ONE function every account mail goes through. Call it after the
    commit that stores what the mail is about: with the worker, it is published at once.

    ``MAIL_DELIVERY == "worker"`` (the default): the mail becomes a ``mail.deliver`` task for the
    worker (retries with backoff on transient SMTP errors). ``"inline"``: sent now, in the request.

    Returns True when the mail was queued (worker) or handed over (inline), False when that
    failed (broker or mail server down). Never raises: the failure is logged, because the account
    change that asked for the mail is already committed and must not become a 500.
    """
    if current_app.config.get("MAIL_DELIVERY", "worker") == "worker":
        try:
            queue.enqueue(DELIVER_TASK, to, subject, body)
        except queue.QueueUnavailable:
            mail_logger().error("Could not queue mail to %s (%s)", to, subject)
            return False
        return True
    try:
        deliver(build_message(to, subject, body))
    except (OSError, smtplib.SMTPException):
        mail_logger().exception("Could not send mail to %s (%s)", to, subject)
        return False
    return True


def is_transient(exc: BaseException) -> bool:
    """True when trying again later can succeed. Order matters: SMTP errors are OSErrors."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return False  # every recipient refused: the address is the problem
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):
        return False  # e.g. SMTPNotSupportedError: STARTTLS missing, a setting to fix
    if isinstance(exc, ssl.SSLCertVerificationError):
        return False  # an untrusted certificate will not become trusted by waiting
    return isinstance(exc, OSError)  # refused, reset, unreachable, timed out


def backoff_seconds(retries: int, base: float, cap: float) -> float:
    """base, 2*base, 4*base ... up to cap, with up to 20 % jitter so retries do not bunch."""
    delay = min(cap, base * (2.0**retries))
    return delay * random.uniform(0.8, 1.0)  # noqa: S311  (jitter, not a secret)
