"""Password hashing with werkzeug, configured by ``PASSWORD_HASH_METHOD``.

``verify_password`` also runs for unknown emails (against a throw-away hash of the same method), so
a failed login costs about the same time whether or not the account exists.
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password: str) -> str:
    return generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=8)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. No hash (unknown account): same work, then False."""
    if password_hash is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return check_password_hash(password_hash, password)
