"""Signing a user in from any page: a server-side session row first, then Flask-Login's cookie.

Every view that signs someone in (login, the confirmation link, sign-up from a team invitation)
calls :func:`sign_in`, so none can forget the session row (``User.get_id`` refuses without it).
"""

from __future__ import annotations

from flask import request
from flask_login import login_user

from models import User
from services.accounts import sessions


def sign_in(user: User, *, remember: bool = False) -> None:
    sessions.start_session(user, request.user_agent.string)
    login_user(user, remember=remember)
