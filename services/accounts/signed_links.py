"""Signed, expiring, single-use links: password reset, email confirmation and email change.

A token carries the user id and a fingerprint of the account state the link is meant to change,
signed with the app's secret key (itsdangerous; ``SECRET_KEY_FALLBACKS`` still verify). It expires
after the purpose's max age, and it stops working as soon as that state changes (the fingerprint
no longer matches): single use without storing anything. Each purpose has its own salt, so a reset
token is never accepted as a confirmation token or the other way round. A token may also carry one
signed string (``data``: the new address of an email change), which nobody can alter.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from extensions import db
from models import User

MAX_TOKEN_LENGTH = 1024


class InvalidLink(Exception):
    """The link cannot be used; ``str(error)`` is a message for the person holding it."""


@dataclass(frozen=True)
class LinkPurpose:
    """What a kind of link is for: its salt, its lifetime setting, the account state it consumes
    (a change of that state makes the link "used"), and what to tell someone holding a bad one."""

    salt: str
    max_age_setting: str
    state: Callable[[User], str]
    invalid: str
    expired: str
    used: str

    def max_age(self) -> int:
        return int(current_app.config[self.max_age_setting])


PASSWORD_RESET = LinkPurpose(
    salt="timesheet.password-reset",
    max_age_setting="PASSWORD_RESET_MAX_AGE",
    # A new password (or a reset, which also rotates the session token) uses the link up.
    state=lambda user: f"{user.password_hash}\x00{user.session_token}",
    invalid=(
        "This reset link is not valid. Check that you copied the whole link, or ask for a new one."
    ),
    expired="This reset link has expired. Ask for a new one below.",
    used=(
        "This reset link has already been used, or your password changed since it was sent. "
        "Ask for a new one below."
    ),
)

EMAIL_CONFIRMATION = LinkPurpose(
    salt="timesheet.email-confirmation",
    max_age_setting="EMAIL_CONFIRMATION_MAX_AGE",
    # Confirming sets email_confirmed_at, which uses the link up.
    state=lambda user: f"{user.email}\x00{user.email_confirmed_at}",
    invalid=(
        "This confirmation link is not valid. Check that you copied the whole link, "
        "or log in with your password to get a new one."
    ),
    expired="This confirmation link has expired. Log in with your password to get a new one.",
    used="This address is already confirmed: the link has been used. Log in with your password.",
)


EMAIL_CHANGE = LinkPurpose(
    salt="timesheet.email-change",
    max_age_setting="EMAIL_CHANGE_MAX_AGE",
    # A change of the address (by this link or another one) or of the password (which rotates the
    # session token) uses the link up.
    state=lambda user: f"{user.email}\x00{user.session_token}",
    invalid=(
        "This link to change your address is not valid. Check that you copied the whole link, "
        "or ask for a new one."
    ),
    expired="This link to change your address has expired. Ask for a new one.",
    used=(
        "This link has already been used, or your address or password changed since it was "
        "sent. Ask for a new one if you still want to change your address."
    ),
)


def _serializer(purpose: LinkPurpose) -> URLSafeTimedSerializer:
    config = current_app.config
    keys = [*(config.get("SECRET_KEY_FALLBACKS") or ()), config["SECRET_KEY"]]  # newest last
    return URLSafeTimedSerializer(keys, salt=purpose.salt)


def _fingerprint(purpose: LinkPurpose, user: User) -> str:
    return hashlib.sha256(purpose.state(user).encode()).hexdigest()[:32]


def make_token(purpose: LinkPurpose, user: User, data: str | None = None) -> str:
    payload: dict[str, object] = {"u": user.id, "f": _fingerprint(purpose, user)}
    if data is not None:
        payload["d"] = data
    return _serializer(purpose).dumps(payload)


def user_for_token(purpose: LinkPurpose, token: str) -> User:
    """The active user the token was made for, or InvalidLink with the reason."""
    return _load(purpose, token)[0]


def user_and_data_for_token(purpose: LinkPurpose, token: str) -> tuple[User, str]:
    """The active user and the string the token carries (``make_token(..., data=...)``), or
    InvalidLink (also for a token made without data)."""
    user, data = _load(purpose, token)
    if data is None:
        raise InvalidLink(purpose.invalid)
    return user, data


def _load(purpose: LinkPurpose, token: str) -> tuple[User, str | None]:
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidLink(purpose.invalid)
    try:
        payload = _serializer(purpose).loads(token, max_age=purpose.max_age())
    except SignatureExpired:
        raise InvalidLink(purpose.expired) from None
    except BadSignature:
        raise InvalidLink(purpose.invalid) from None
    if not isinstance(payload, dict):
        raise InvalidLink(purpose.invalid)
    user_id, fingerprint, data = payload.get("u"), payload.get("f"), payload.get("d")
    if type(user_id) is not int or not isinstance(fingerprint, str):
        raise InvalidLink(purpose.invalid)
    if data is not None and not isinstance(data, str):
        raise InvalidLink(purpose.invalid)
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise InvalidLink(purpose.invalid)
    if not hmac.compare_digest(_fingerprint(purpose, user), fingerprint):
        raise InvalidLink(purpose.used)
    return user, data
