"""Mail delivery in the worker: retried with exponential backoff when the failure is transient
(server busy or unreachable), given up at once when it is permanent (5xx: bad address, refused
login), so a wrong address is not hammered for hours and a flaky server does not lose a mail."""

from __future__ import annotations

import random
import smtplib
import ssl

from celery import Task, shared_task
from flask import current_app

from services.mail import DELIVER_TASK, build_message, deliver, mail_logger


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
    delay = min(cap, base * (2 ** retries))
    return delay * random.uniform(0.8, 1.0)  # noqa: S311  (jitter, not a secret)


@shared_task(name=DELIVER_TASK, bind=True, ignore_result=True, acks_late=True)
def deliver_email(self: Task, to: str, subject: str, body: str) -> str:
    config = current_app.config
    try:
        deliver(build_message(to, subject, body))
    except Exception as exc:
        retries = self.request.retries
        if not is_transient(exc) or retries >= config["MAIL_MAX_RETRIES"]:
            mail_logger().error("Giving up on mail to %s (%s) after %d retries: %r",
                                to, subject, retries, exc)
            raise
        countdown = backoff_seconds(
            retries, config["MAIL_RETRY_BASE_SECONDS"], config["MAIL_RETRY_MAX_SECONDS"]
        )
        mail_logger().warning("Mail to %s failed (%r); retry %d in %.1f s",
                              to, exc, retries + 1, countdown)
        raise self.retry(
            exc=exc, countdown=countdown, max_retries=config["MAIL_MAX_RETRIES"]
        ) from exc
    return "sent"
