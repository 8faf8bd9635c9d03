"""Rate limits for the HTTP interface: who is counted (the key) and how much (a config setting).

Every limit is a setting (``config.py``, ``RATELIMIT_*``) read on each request, so the
environment can change it (``FLASK_RATELIMIT_SIGNUP="100 per minute"`` for a load test). Views use
:func:`limited`; the coming JSON API uses it the same way::

    @limited("RATELIMIT_TOKEN_CREATE", per="user")     # per signed-in user
    limited("RATELIMIT_API_WRITE", per="token", shared=True, methods=WRITES)(blueprint)

A request over a limit gets a 429 with ``Retry-After`` (``routes/site.py:too_many_requests``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from extensions import limiter
from services.accounts.rules import EMAIL_MAX_LENGTH
from services.accounts.users import normalize_email


def address_key() -> str:
    """The client's address (behind a proxy, ProxyFix makes it the real one)."""
    return "address:" + (get_remote_address() or "unknown")


def account_key() -> str:
    """The account a login or reset form names: guessing one password from many addresses is
    still counted against that account."""
    email = normalize_email(str(request.form.get("email", "")))[:EMAIL_MAX_LENGTH]
    return "account:" + email


def user_key() -> str:
    """The signed-in user (API writes); anonymous requests fall back to the address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return address_key()


def token_key() -> str:
    """The API token a request carries (a digest of it, never the secret); none: the address.
    Limits run before the API's own token check, so the key is the token, not its user."""
    authorization = request.headers.get("Authorization", "")
    if not authorization.startswith("Bearer "):
        return address_key()
    return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]


KEYS: dict[str, Callable[[], str]] = {
    "address": address_key,
    "account": account_key,
    "user": user_key,
    "token": token_key,
}


def failed_login(response: Response) -> bool:
    """A login that did not succeed (a successful one redirects): only those count per account,
    so a user who types the right password is never locked out by their own sign-ins."""
    return response.status_code != 302


def limited(
    setting: str,
    *,
    per: str = "address",
    methods: tuple[str, ...] = ("POST",),
    deduct_when: Callable[[Response], bool] | None = None,
    shared: bool = False,
) -> Callable[[Any], Any]:
    """A view (or blueprint) decorator: at most ``current_app.config[setting]`` requests (e.g.
    "10 per minute; 50 per hour") per ``per`` key ("address", "account", "user" or "token").
    Each view counts on its own; ``shared=True`` makes every view decorated with this setting
    draw from one budget (say, all API writes)."""
    options: dict[str, Any] = {
        "key_func": KEYS[per],
        "methods": list(methods),
        "deduct_when": deduct_when,
    }
    value = _setting(setting)
    if shared:
        return limiter.shared_limit(value, scope=f"{setting}:{per}", **options)
    return limiter.limit(value, scope=f"{setting}:{per}", **options)


def _setting(name: str) -> Callable[[], str]:
    def value() -> str:
        return str(current_app.config[name])

    return value
