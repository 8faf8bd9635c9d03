"""Signed, expiring, single-use password reset tokens.

The token carries the user id and a fingerprint of the user's current password hash and session
token, signed with the app's secret key (itsdangerous). It expires after ``PASSWORD_RESET_MAX_AGE``
seconds, and it stops working as soon as the password changes (the fingerprint no longer matches),
which makes it single use without storing anything.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from extensions import db
from models import User

SALT = "timesheet.password-reset"
MAX_TOKEN_LENGTH = 1024


class InvalidResetToken(Exception):
    """The link cannot be used; ``str(error)`` is a message for the person holding it."""


MESSAGE_INVALID = (
    "This reset link is not valid. Check that you copied the whole link, or ask for a new one."
)
MESSAGE_EXPIRED = "This reset link has expired. Ask for a new one below."
MESSAGE_USED = (
    "This reset link has already been used, or your password changed since it was sent. "
    "Ask for a new one below."
)


def _serializer() -> URLSafeTimedSerializer:
    config = current_app.config
    keys = [*(config.get("SECRET_KEY_FALLBACKS") or ()), config["SECRET_KEY"]]  # newest last
    return URLSafeTimedSerializer(keys, salt=SALT)


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash}\x00{user.session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_reset_token(token: str) -> User:
    """The active user the token was made for, or InvalidResetToken with the reason."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidResetToken(MESSAGE_INVALID)
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidResetToken(MESSAGE_EXPIRED) from None
    except BadSignature:
        raise InvalidResetToken(MESSAGE_INVALID) from None
    if not isinstance(payload, dict):
        raise InvalidResetToken(MESSAGE_INVALID)
    user_id, fingerprint = payload.get("u"), payload.get("f")
    if type(user_id) is not int or not isinstance(fingerprint, str):
        raise InvalidResetToken(MESSAGE_INVALID)
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise InvalidResetToken(MESSAGE_INVALID)
    if not hmac.compare_digest(_fingerprint(user), fingerprint):
        raise InvalidResetToken(MESSAGE_USED)
    return user
