"""Who is calling the API, and may they do this? One ``before_request`` hook, attached by
``registry.py`` to every resource blueprint, so no route can forget it.

- ``Authorization: Bearer <token>``: a personal access token (services/tokens). Unknown, expired
  or revoked: 401 with ``WWW-Authenticate: Bearer``, never a redirect to the login page.
- No header but a signed-in browser session: reads are allowed (the docs page, a quick look), but
  writes are refused with 403. A cookie is sent by the browser on its own, so a write relying on
  it would need CSRF protection; the API has none (tokens need none) and so takes no cookie
  writes at all. Documented in docs/api.md.
- A read-only token may only read: 403 for a write.
- A write must send JSON: anything else is 415 before a field is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, g, request
from flask_login import current_user

from models import User
from routes.api import problems
from services.tokens import personal as tokens

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
REALM = 'Bearer realm="timesheet"'


@dataclass(frozen=True)
class Caller:
    user: User
    can_write: bool
    by_token: bool


def unauthorized(detail: str, error: str | None = None) -> Response:
    challenge = REALM + (f', error="{error}"' if error else "")
    return problems.problem(
        401, detail, type_=problems.TOKEN_REQUIRED, headers={"WWW-Authenticate": challenge}
    )


def identify() -> Caller | Response:
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return unauthorized("Send a personal access token as 'Authorization: Bearer <token>'.")
        credentials = tokens.authenticate(secret.strip())
        if credentials is None:
            return unauthorized(
                "The token is unknown, expired or revoked. Create a new one on the tokens page.",
                "invalid_token",
            )
        return Caller(credentials.user, credentials.can_write, by_token=True)
    if current_user.is_authenticated:
        return Caller(current_user._get_current_object(), can_write=False, by_token=False)
    return unauthorized("Send a personal access token as 'Authorization: Bearer <token>'.")


def guard() -> Response | None:
    """The ``before_request`` hook of every API resource blueprint. Every API write passes here:
    this is also the place for a rate limit on writes."""
    caller = identify()
    if isinstance(caller, Response):
        return caller
    if request.method not in SAFE_METHODS:
        if not caller.by_token:
            return problems.problem(
                403,
                "Writes through the API need a personal access token; a browser session "
                "(cookie) may only read.",
                type_=problems.COOKIE_WRITE,
            )
        if not caller.can_write:
            return problems.problem(
                403,
                "This token may only read. Create a token with read and write access.",
                type_=problems.READ_ONLY_TOKEN,
            )
        if request.method in BODY_METHODS and has_body() and not request.is_json:
            return problems.problem(415, "Send the body as JSON (Content-Type: application/json).")
    g.api_caller = caller
    return None


def has_body() -> bool:
    """A body is on its way: an action such as ``POST /timer/stop`` may come with none at all."""
    return bool(request.content_length) or "Transfer-Encoding" in request.headers


def caller() -> User:
    """The user this API request acts for (set by :func:`guard`)."""
    user: User = g.api_caller.user
    return user


def no_store(response: Response) -> Response:
    """API answers hold the caller's data: no browser or proxy keeps a copy."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response
