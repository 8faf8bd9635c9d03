"""Every API error as an RFC 9457 problem document (``application/problem+json``).

``routes/site.py`` owns the app's error handlers; for a request under ``/api/`` it calls
:func:`from_http_exception` here instead of rendering an HTML page, so a 404, a 405, a 415, a
malformed body or a crash all answer JSON with the same shape, never the login page or HTML.
"""

from __future__ import annotations

from typing import Any

from flask import Response, json, request
from werkzeug.exceptions import HTTPException

from extensions import PROBLEM_CONTENT_TYPE

API_PREFIX = "/api/"
# Problem types with a meaning of their own; everything else is "about:blank" (the status says it
# all). Relative URIs: they point into the API docs page.
VALIDATION = "/api/v1/docs#problem-validation"
TOKEN_REQUIRED = "/api/v1/docs#problem-token-required"  # noqa: S105 (a URI, not a secret)
READ_ONLY_TOKEN = "/api/v1/docs#problem-read-only-token"  # noqa: S105 (a URI)
COOKIE_WRITE = "/api/v1/docs#problem-cookie-write"
CONFLICT = "/api/v1/docs#problem-conflict"
MALFORMED_JSON = "/api/v1/docs#problem-malformed-json"
STALE = "/api/v1/docs#problem-stale"
IF_MATCH_REQUIRED = "/api/v1/docs#problem-if-match-required"
IDEMPOTENCY = "/api/v1/docs#problem-idempotency-key"

# The ETag answers (flask-smorest raises them; the detail says what to do).
PRECONDITIONS = {
    412: (
        STALE,
        "It changed since you read it (its ETag is not the one in If-Match): nothing was "
        "changed. Read it again, then send your change with the new ETag.",
    ),
    428: (
        IF_MATCH_REQUIRED,
        "Send If-Match with the ETag of your last read, so that you do not overwrite a change "
        "you have not seen.",
    ),
}

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    428: "Precondition Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem(
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": type_,
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def validation_problem(errors: dict[str, list[str]], detail: str | None = None) -> Response:
    return problem(
        422,
        detail or "Some fields are invalid; see errors.",
        type_=VALIDATION,
        title="Invalid fields",
        errors=errors,
    )


def field_errors(messages: Any) -> dict[str, list[str]]:
    """webargs' ``{"json": {"field": ["..."]}}`` (or deeper) flattened to ``{"field": [...]}``."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            flat.setdefault(prefix or "_body", []).extend(value)
        elif isinstance(value, list | tuple):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}", inner)
        else:
            flat.setdefault(prefix or "_body", []).append(str(value))

    for inner in (messages or {}).values():  # drop the location level ("json", "query")
        walk("", inner)
    return flat


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405:
        allow = error.get_response().headers.get("Allow")
        if allow:
            headers["Allow"] = allow
    if status == 422 and "messages" in data:
        return validation_problem(field_errors(data["messages"]))
    if status in PRECONDITIONS:
        type_, detail = PRECONDITIONS[status]
        return problem(status, detail, type_=type_, headers=headers)
    if status == 400 and "messages" in data:  # webargs: the body is not JSON
        return problem(400, "The body is not valid JSON.", type_=MALFORMED_JSON, headers=headers)
    detail = data.get("message") or error.description or TITLES.get(status, "Error")
    return problem(status, str(detail), headers=headers)


def internal_error() -> Response:
    return problem(500, "Something went wrong on our side. Nothing was saved; please try again.")
