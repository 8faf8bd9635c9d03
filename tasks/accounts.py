"""The account tasks: the password reset mail, composed by the worker (see
``services.accounts.users.request_password_reset`` for why)."""

from __future__ import annotations

from celery import shared_task

from services.accounts.users import RESET_TASK, mail_password_reset


@shared_task(name=RESET_TASK, ignore_result=True, acks_late=True)
def password_reset(email: str, link_template: str) -> bool:
    return mail_password_reset(email, link_template)
