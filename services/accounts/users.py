"""Accounts: loading the logged-in user, registration, login, password change and reset.

Emails are stored normalized (stripped, lower-case), so the unique constraint on ``users.email``
also refuses the same address in another case. Changing or resetting a password replaces the
user's session token, which ends every other session and remember cookie of that user.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import User
from services.accounts import reset_tokens
from services.accounts.passwords import hash_password, verify_password
from services.platform import mail

NAME_MAX_LENGTH = 100  # users.name
EMAIL_MAX_LENGTH = 254  # users.email, and the limit of a forward path in SMTP
PASSWORD_MAX_LENGTH = 128  # hashing megabytes of "password" is a cheap denial of service


# What secrets.token_urlsafe makes (models.user.new_session_token): anything else is not a token,
# and must not reach the database (PostgreSQL refuses NUL characters with an error).
SESSION_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class EmailTaken(Exception):
    """Another account already uses this email."""


class InvalidCredentials(Exception):
    """Unknown email or wrong password: deliberately one error for both."""


class InactiveAccount(Exception):
    """The password is right but the account is switched off."""


class WrongPassword(Exception):
    """The current password given to confirm a change is wrong."""


def load_user(session_token: str) -> User | None:
    """Flask-Login's user_loader. The session holds the user's session token, not the id, so a
    password change ends other sessions. Anything malformed, unknown or inactive gives None."""
    if not isinstance(session_token, str) or not SESSION_TOKEN_PATTERN.fullmatch(session_token):
        return None
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.active else None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    email = normalize_email(email)
    if "\x00" in email or len(email) > EMAIL_MAX_LENGTH:
        return None  # cannot be stored, so nobody has it (and PostgreSQL would raise on NUL)
    return db.session.scalar(select(User).where(User.email == email))


def register_user(name: str, email: str, password: str) -> User:
    """Create and commit an account, or raise EmailTaken (also when a concurrent request wins
    the race and the database's unique constraint is what notices)."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(name=name.strip(), email=email, password_hash=hash_password(password))
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise EmailTaken(email) from None
    return user


def authenticate(email: str, password: str) -> User:
    """The user these credentials belong to, or InvalidCredentials / InactiveAccount."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        raise InvalidCredentials
    assert user is not None
    if not user.active:
        raise InactiveAccount
    return user


def set_password(user: User, new_password: str) -> None:
    """Store a new password and end every session made with the old one; commits."""
    user.password_hash = hash_password(new_password)
    user.rotate_session_token()
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword
    set_password(user, new_password)


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a reset token; raises reset_tokens.InvalidResetToken."""
    user = reset_tokens.user_for_reset_token(token)
    set_password(user, new_password)
    return user


def send_welcome_email(email: str, name: str, login_url: str) -> bool:
    body = render_template("mail/welcome.txt", name=name, login_url=login_url)
    return mail.send_email(email, "Welcome to Timesheet", body)


def request_password_reset(email: str, reset_url_for: Callable[[str], str]) -> None:
    """Mail a reset link when an active account has this email; otherwise do nothing. The caller
    answers the same in both cases. ``reset_url_for(token)`` builds the absolute link."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = reset_tokens.make_reset_token(user)
    body = render_template(
        "mail/password_reset.txt",
        name=user.name,
        reset_url=reset_url_for(token),
        max_age_minutes=_max_age_minutes(),
    )
    mail.send_email(user.email, "Reset your Timesheet password", body)


def _max_age_minutes() -> int:
    return max(1, int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60)
