"""``Idempotency-Key`` on the API's creates: ``@idempotent`` above a ``POST`` view.

A request without the header runs as always. With it, the first request runs and its answer
(status, body, ``Location``, ``ETag``) is stored for the user and key; a retry with the same key
and the same request gets that answer again (``Idempotent-Replayed: true``) and creates nothing.
The same key with another request (path or body) is a 422. An error answer stores nothing: no
row was made, so the retry runs again. The rules are in ``services/tokens/idempotency.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, make_response, request
from flask_smorest import Blueprint

from models.idempotency_key import KEY_MAX_LENGTH
from routes.api import problems
from routes.api.auth import caller
from services.tokens import idempotency

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("Location", "ETag", "Content-Type")
PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Any unique string (a UUID): a retry with the same key and body answers the "
    "first response again instead of creating a second row. Kept 24 hours.",
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH},
}


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        try:
            idempotency.check_key(key)
        except idempotency.InvalidKey as error:
            return problems.validation_problem({HEADER: [str(error)]})
        user_id = caller().id
        print_ = idempotency.fingerprint(request.method, request.path, body())
        try:
            stored = idempotency.claim(user_id, key, print_)
        except idempotency.KeyReused as error:
            return problems.validation_problem({HEADER: [str(error)]})
        except idempotency.KeyInFlight as error:
            return problems.problem(
                409, str(error), type_=problems.IDEMPOTENCY, headers={"Retry-After": "1"}
            )
        if stored is not None:
            return replay(stored)
        try:
            response = make_response(view(*args, **kwargs))
        except BaseException:
            idempotency.release(user_id, key)
            raise
        if 200 <= response.status_code < 300:
            kept = {
                name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
            }
            answer = idempotency.Answer(response.status_code, response.get_data(as_text=True), kept)
            idempotency.remember(user_id, key, answer)
        else:
            idempotency.release(user_id, key)
        return response

    documented: Callable[..., Any] = Blueprint.doc(parameters=[PARAMETER])(wrapper)
    return documented


def body() -> Any:
    """The JSON body (the guard let only JSON through); raw text if it does not parse."""
    parsed = request.get_json(silent=True)
    return parsed if parsed is not None else request.get_data(as_text=True)


def replay(stored: idempotency.Answer) -> Response:
    response = Response(stored.body, status=stored.status, headers=stored.headers)
    response.headers["Idempotent-Replayed"] = "true"
    return response
