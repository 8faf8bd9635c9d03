"""Form endpoints take form bodies only.

Flask-WTF fills a form from ``request.get_json()`` when the body is JSON, so ``{"name": 123}``
reached validators that expect text (a 500); and in a multipart body, a *file* part named like a
text field reached them as a FileStorage (a 500 too). Every unsafe request to a form endpoint
must therefore be form-encoded (else 415) and carry no file part (else 400). The JSON API's
blueprints (named ``api_<resource>`` by ``routes/api/blueprint.py``) parse their own bodies and
are left alone.
"""

from __future__ import annotations

from flask import Flask, abort, request

FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Blueprints whose endpoints read JSON themselves (the API); nothing else may get JSON.
JSON_BLUEPRINT_PREFIX = "api_"


def only_form_bodies() -> None:
    if request.url_rule is None:  # no such page or method: the 404/405 answers, not this check
        return
    if request.method in SAFE_METHODS or (request.blueprint or "").startswith(
        JSON_BLUEPRINT_PREFIX
    ):
        return
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if request.mimetype not in FORM_MIMETYPES:
        if has_body or request.mimetype:
            abort(415, "This page takes form data only (a form posted from the page).")
        return
    # Reading request.files parses the body; MAX_CONTENT_LENGTH makes a too large one a 413.
    if request.files:
        abort(400, "This form takes no files: send its fields as text.")


def init_app(app: Flask) -> None:
    app.before_request(only_form_bodies)
