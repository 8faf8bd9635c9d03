"""Error pages for the whole app: JSON for clients that ask for it, HTML for everyone else."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from extensions import db

bp = Blueprint("errors", __name__)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(code: int, name: str, description: str) -> ResponseReturnValue:
    if wants_json():
        return jsonify(error=name, message=description), code
    return render_template("errors/error.html", code=code, name=name, description=description), code


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> ResponseReturnValue:
    return error_response(
        400,
        "Bad Request",
        "The form expired or was not sent by this site. Go back, reload the page and try again.",
    )


@bp.app_errorhandler(SecurityError)
def untrusted_host(error: SecurityError) -> ResponseReturnValue:
    # The Host header is not in TRUSTED_HOSTS: every url_for (the layout has several) would fail
    # again, so the answer is plain text.
    return Response(f"400 Bad Request: {error.description}", 400, mimetype="text/plain")


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    response = error_response(code, error.name, error.description or "")
    if code == 405 and error.get_response().headers.get("Allow"):
        body, status = response  # type: ignore[misc]
        return body, status, {"Allow": error.get_response().headers["Allow"]}
    return response


@bp.app_errorhandler(InternalServerError)
def internal_error(error: InternalServerError) -> ResponseReturnValue:
    # Whatever the failed request left in the session must not leak into the next one.
    db.session.rollback()
    return error_response(
        500,
        "Internal Server Error",
        "Something went wrong on our side. Nothing was saved; please try again.",
    )
