"""The mail task. Thin: the retry rules (transient or permanent failure, backoff) live in
``services/platform/mail.py``."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from flask import current_app

from services.platform.mail import (
    DELIVER_TASK,
    backoff_seconds,
    build_message,
    deliver,
    is_transient,
    mail_logger,
)


@shared_task(name=DELIVER_TASK, bind=True, ignore_result=True, acks_late=True)
def deliver_email(self: Task[Any, Any], to: str, subject: str, body: str) -> str:
    config = current_app.config
    try:
        deliver(build_message(to, subject, body))
    except Exception as exc:
        retries = self.request.retries
        if not is_transient(exc) or retries >= config["MAIL_MAX_RETRIES"]:
            mail_logger().error(
                "Giving up on mail to %s (%s) after %d retries: %r", to, subject, retries, exc
            )
            raise
        countdown = backoff_seconds(
            retries, config["MAIL_RETRY_BASE_SECONDS"], config["MAIL_RETRY_MAX_SECONDS"]
        )
        mail_logger().warning(
            "Mail to %s failed (%r); retry %d in %.1f s", to, exc, retries + 1, countdown
        )
        raise self.retry(
            exc=exc, countdown=countdown, max_retries=config["MAIL_MAX_RETRIES"]
        ) from exc
    return "sent"
