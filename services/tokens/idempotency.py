"""Idempotency keys: a retried create (same key, same request, same user) gets the first answer
again instead of making a second row.

The interface (``routes/api/idempotency.py``) asks :func:`claim` before it runs the create.
The claim inserts the key's row and commits it at once: the unique constraint on (user, key)
lets exactly one of two concurrent requests in. That one runs the create and then stores its
answer (:func:`remember`), or gives the key up (:func:`release`) when nothing was created (an
error answer), so the client may try again. The other one waits (a few seconds at most) for the
stored answer and replays it; if the first is still not done, it is told to retry later.

Keys live ``IDEMPOTENCY_KEY_MAX_AGE`` seconds; an expired one is taken over by the next request
and deleted by the periodic clean-up (``services/reports/cleanup.py``).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import IdempotencyKey
from models.columns import utcnow
from models.idempotency_key import KEY_MAX_LENGTH
from services import access

POLL_SECONDS = 0.05


class KeyReused(Exception):
    """The key was used with another request (another path or body): 422."""


class KeyInFlight(Exception):
    """The first request with this key is still being answered: 409, try again shortly."""


class InvalidKey(ValueError):
    """Not a usable key (empty, too long, not printable ASCII): 422."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    headers: dict[str, str]


def check_key(key: str) -> str:
    if not 1 <= len(key) <= KEY_MAX_LENGTH or not all(" " <= c <= "~" for c in key):
        raise InvalidKey(
            f"Send 1 to {KEY_MAX_LENGTH} printable ASCII characters (a UUID, say) as the key."
        )
    return key


def fingerprint(method: str, path: str, body: Any) -> str:
    """What makes two requests "the same": method, path and the JSON body (key order and
    spacing ignored)."""
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(user_id: int, key: str, print_: str) -> Answer | None:
    """``None``: this request holds the key now (run it, then ``remember`` or ``release``). An
    ``Answer``: the first request's, to give again. Raises KeyReused or KeyInFlight."""
    deadline = time.monotonic() + float(current_app.config["IDEMPOTENCY_WAIT_SECONDS"])
    while True:
        if _insert(user_id, key, print_):
            return None
        row = _read(user_id, key)
        if row is None:  # released (or expired and cleaned) in between: try to take it
            continue
        if row.fingerprint != print_:
            raise KeyReused(
                "This Idempotency-Key was used with another request: use a new key for a new "
                "request."
            )
        if row.answer is not None:
            return row.answer
        if time.monotonic() >= deadline:
            raise KeyInFlight(
                "A request with this Idempotency-Key is still being answered: try again shortly."
            )
        time.sleep(POLL_SECONDS)


def _insert(user_id: int, key: str, print_: str) -> bool:
    now = utcnow()
    db.session.execute(
        delete(IdempotencyKey).where(
            access.idempotency_key_of(user_id, key), IdempotencyKey.expires_at <= now
        )
    )
    max_age = int(current_app.config["IDEMPOTENCY_KEY_MAX_AGE"])
    db.session.add(
        IdempotencyKey(
            user_id=user_id,
            key=key,
            fingerprint=print_,
            expires_at=now + timedelta(seconds=max_age),
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


@dataclass(frozen=True)
class _Stored:
    fingerprint: str
    answer: Answer | None  # None: still being answered


def _read(user_id: int, key: str) -> _Stored | None:
    row = db.session.execute(
        select(
            IdempotencyKey.fingerprint,
            IdempotencyKey.status,
            IdempotencyKey.body,
            IdempotencyKey.headers,
        ).where(access.idempotency_key_of(user_id, key))
    ).one_or_none()
    db.session.commit()  # end the read: the next poll sees the other request's commit
    if row is None:
        return None
    answer = None if row.status is None else Answer(row.status, row.body or "", row.headers or {})
    return _Stored(row.fingerprint, answer)


def remember(user_id: int, key: str, answer: Answer) -> None:
    row = db.session.scalar(select(IdempotencyKey).where(access.idempotency_key_of(user_id, key)))
    if row is not None:
        row.status, row.body, row.headers = answer.status, answer.body, answer.headers
    db.session.commit()


def release(user_id: int, key: str) -> None:
    db.session.rollback()  # whatever the failed request left unsaved
    db.session.execute(
        delete(IdempotencyKey).where(
            access.idempotency_key_of(user_id, key), IdempotencyKey.status.is_(None)
        )
    )
    db.session.commit()


def delete_expired_keys(now: datetime) -> int:
    result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now))
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
