"""The account tasks: the password reset mail and the sign-up, done by the worker (see
``services.accounts.users.request_password_reset`` and ``sign_up`` for why), and the hourly
deletion of sign-ups never confirmed (``services/accounts/cleanup.py``)."""

from __future__ import annotations

from celery import shared_task

from services.accounts.cleanup import CLEANUP_UNCONFIRMED_TASK, delete_unconfirmed_accounts
from services.accounts.users import (
    RESET_TASK,
    SIGN_UP_TASK,
    AccountLinks,
    complete_sign_up,
    mail_password_reset,
)


@shared_task(name=RESET_TASK, ignore_result=True, acks_late=True)
def password_reset(email: str, link_template: str) -> bool:
    return mail_password_reset(email, link_template)


@shared_task(name=SIGN_UP_TASK, ignore_result=True, acks_late=True)
def sign_up(
    name: str,
    email: str,
    password_hash: str,
    confirm_link_template: str,
    login_url: str,
    reset_url: str,
) -> bool:
    """Run twice (a redelivery), the second run finds the account and mails "someone tried"."""
    links = AccountLinks(confirm_link_template, login_url, reset_url)
    return complete_sign_up(name, email, password_hash, links)


@shared_task(name=CLEANUP_UNCONFIRMED_TASK, ignore_result=True, acks_late=True)
def delete_unconfirmed() -> int:
    """Safe to run twice: it re-reads what is still unconfirmed."""
    return delete_unconfirmed_accounts()
