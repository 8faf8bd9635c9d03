"""Accounts: loading the logged-in user."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import User


def load_user(session_token: str) -> User | None:
    """Flask-Login's user_loader. The session holds the user's session token, not the id, so a
    password change ends other sessions. Anything malformed, unknown or inactive gives None."""
    if not isinstance(session_token, str) or not 20 <= len(session_token) <= 64:
        return None
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.active else None
