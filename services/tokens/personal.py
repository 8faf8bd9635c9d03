"""Personal access tokens: create one (the secret is returned once), list, revoke, and find the
user behind a ``Bearer`` secret.

The secret is ``tsh_`` plus 256 random bits; only its SHA-256 is stored, so a copy of the
database holds no usable token. A secret is looked up by its hash (a unique index), never
compared with every row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from extensions import db
from models import ApiToken, User
from models.api_token import TOKEN_NAME_MAX_LENGTH, TOKEN_SCOPES
from models.columns import utcnow
from services import access
from services.platform.text import UNPRINTABLE_MESSAGE, is_printable

SECRET_PREFIX = "tsh_"  # noqa: S105 (marks our tokens; not a secret)
SHOWN_PREFIX_LENGTH = 10  # "tsh_" and six characters: enough to tell tokens apart
MAX_EXPIRY_DAYS = 366
# last_used_at is written at most this often per token: a script polling every second must not
# turn every read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


class InvalidToken(ValueError):
    """Input that cannot make a token; ``field`` names the form field, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@dataclass(frozen=True)
class Credentials:
    """Who a valid secret belongs to, and what it may do."""

    user: User
    token_id: int
    can_write: bool


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    user_id: int, name: str, scope: str, expires_in_days: int | None = None
) -> NewToken:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidToken("name", "Enter a name, e.g. the script that will use the token.")
    if len(cleaned) > TOKEN_NAME_MAX_LENGTH:
        raise InvalidToken("name", f"Keep the name to {TOKEN_NAME_MAX_LENGTH} characters or fewer.")
    if not is_printable(cleaned):
        raise InvalidToken("name", UNPRINTABLE_MESSAGE)
    if scope not in TOKEN_SCOPES:
        raise InvalidToken("scope", "Choose read, or read and write.")
    expires_at = None
    if expires_in_days is not None:
        if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
            raise InvalidToken(
                "expires_in_days", f"Choose between 1 and {MAX_EXPIRY_DAYS} days, or no expiry."
            )
        expires_at = utcnow() + timedelta(days=expires_in_days)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user_id,
        name=cleaned,
        scope=scope,
        token_hash=hash_secret(secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.commit()
    return NewToken(token, secret)


def list_tokens(user_id: int) -> list[ApiToken]:
    """Active tokens first, newest first."""
    query = access.tokens_of(user_id).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()
    )
    return list(db.session.scalars(query))


def get_token_for(user_id: int, token_id: int) -> ApiToken | None:
    return db.session.scalar(access.tokens_of(user_id).where(ApiToken.id == token_id))


def revoke_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def is_usable(token: ApiToken, now: datetime) -> bool:
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)


def authenticate(secret: str) -> Credentials | None:
    """The user behind a secret, or None for an unknown, revoked or expired token (or an
    inactive user). Notes the time of use."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    # One query: the token and its user.
    row = db.session.execute(
        select(ApiToken, User).join(ApiToken.user).where(ApiToken.token_hash == hash_secret(secret))
    ).first()
    now = utcnow()
    if row is None:
        return None
    token, user = row
    if not is_usable(token, now) or not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        db.session.commit()
    return Credentials(user=user, token_id=token.id, can_write=token.can_write)
