"""Sign-ins as rows: start one at login, check it on every request, end it at logout.

A user only ever sees and ends their own sign-ins, reached through ``user.sessions`` (the
relationship), never by an id filter: no team or role will see another person's sessions, so
this is not a rule for ``services/access.py`` (which sits above this module anyway).

Flask-Login keeps ``User.get_id()`` in the session cookie and in the remember cookie. That id is
the random key of a ``UserSession`` row (only its SHA-256 is stored), and :func:`load_user`, the
user loader, accepts a cookie only while its row exists. So logout, "log out everywhere else" and
a password change end sessions for good: a cookie copied before is worth nothing after.

``last_seen_at`` is written at most once per ``SESSION_TOUCH_SECONDS`` (a minute by default), not
on every request: a page view stays a read.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, Select, bindparam, delete, select

from extensions import db
from models import User, UserSession
from models.columns import ID_MAX, utcnow
from models.user_session import USER_AGENT_MAX_LENGTH
from services.platform.text import is_printable
from services.platform.transactions import begin_write, holds_write_lock

# Adds the current membership (one more entity, None when the user is in no team) to the query.
Joined = Callable[[Select[Any]], Select[Any]]

# What secrets.token_urlsafe(32) makes: anything else is not a key, and is not looked up.
SESSION_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _clean_user_agent(user_agent: str | None) -> str:
    text = (user_agent or "").strip()
    if not is_printable(text):
        text = "".join(ch for ch in text if is_printable(ch))
    return text[:USER_AGENT_MAX_LENGTH]


def start_session(user: User, user_agent: str | None) -> str:
    """A new sign-in for ``user``, committed; its key becomes ``user.session_key`` (what
    ``login_user`` then stores in the cookies)."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user.id, key_hash=_hash(key), user_agent=_clean_user_agent(user_agent))
    )
    db.session.commit()
    user.session_key = key
    return key


def load_user(key: object, with_membership: Joined | None = None) -> User | None:
    """Flask-Login's user loader: the user of a live session, or None for anything malformed,
    ended or belonging to a switched-off account. ``with_membership`` (app.py passes
    services/access.py:with_membership_and_timer) joins the user's current membership, and may
    join their running timer after it, to the same query: every signed-in page shows the team
    and the timer strip, and this way they cost no query of their own."""
    if not isinstance(key, str) or not SESSION_KEY_PATTERN.fullmatch(key):
        return None
    row = db.session.execute(session_query(with_membership), {"key_hash": _hash(key)}).first()
    if row is None:
        return None
    record, user, *joined = row
    record, user = cast("UserSession", record), cast("User", user)
    if not user.active:
        return None
    _touch(record)
    user.session_key, user.session_id = key, record.id
    if with_membership is not None:
        user.loaded_membership = joined[0]
        if len(joined) > 1:  # the running timer too (services/access.py:with_membership_and_timer)
            user.loaded_timer = joined[1]
    return user


@cache
def session_query(with_membership: Joined | None) -> Select[Any]:
    """The loader's statement, built once per joiner (a key hash is bound per request): building
    it joins seven entities through SQLAlchemy's coercions, about a sixth of a cached week's
    CPU when it was done on every request."""
    query = cast("Select[Any]", select(UserSession, User).join(UserSession.user))
    if with_membership is not None:
        query = with_membership(query)
    return query.where(UserSession.key_hash == bindparam("key_hash"))


def _touch(record: UserSession) -> None:
    """Note the visit, at most once per SESSION_TOUCH_SECONDS. The loader runs before the view
    changes anything, so this commit carries nothing else. A form post on SQLite holds the
    write lock from its first statement (``wiring/sqlite.py:lock_writing_requests``): the commit
    ends that transaction, so the lock is taken again before the view reads."""
    now = utcnow()
    every = timedelta(seconds=float(current_app.config["SESSION_TOUCH_SECONDS"]))
    if now - record.last_seen_at >= every:
        record.last_seen_at = now
        relock = holds_write_lock()
        db.session.commit()
        if relock:
            begin_write()


def current_session_id(user: User) -> int | None:
    """The row id of the sign-in this request runs in."""
    if user.session_id is not None:
        return user.session_id
    if user.session_key is None:
        return None
    return db.session.scalar(
        select(UserSession.id).where(UserSession.key_hash == _hash(user.session_key))
    )


def list_sessions(user: User) -> list[UserSession]:
    """The user's sign-ins, the most recently used first."""
    query = user.sessions.select().order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    return list(db.session.scalars(query))


def end_session(key: str | None) -> None:
    """Logout: the row goes, so the session and remember cookies holding ``key`` die with it."""
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _hash(key)))
        db.session.commit()


def end_session_by_id(user: User, session_id: int) -> bool:
    """End one of the user's own sign-ins (from the sessions page); False if there is none."""
    if not 1 <= session_id <= ID_MAX:
        return False
    result = cast(
        CursorResult[Any],
        db.session.execute(user.sessions.delete().where(UserSession.id == session_id)),
    )
    db.session.commit()
    return bool(result.rowcount)


def end_other_sessions(user: User, keep_key: str | None = None) -> int:
    """End every sign-in of ``user`` but the one with ``keep_key`` (None: all of them); does not
    commit (the caller commits with the change that made it necessary). Returns how many."""
    query = user.sessions.delete()
    if keep_key:
        query = query.where(UserSession.key_hash != _hash(keep_key))
    return int(cast(CursorResult[Any], db.session.execute(query)).rowcount or 0)


def log_out_everywhere_else(user: User) -> int:
    """ "Log out everywhere else": every sign-in of ``user`` but this request's ends; commits."""
    ended = end_other_sessions(user, keep_key=user.session_key)
    db.session.commit()
    return ended
