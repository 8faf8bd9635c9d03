"""``/api/v1/docs``: a readable page of the API, drawn in the browser from the generated
``/api/v1/openapi.json`` by our own small script (static/api-docs.js): no docs UI from a CDN,
and nothing written by hand that could drift from the code."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue

bp = Blueprint("api_docs_page", __name__, url_prefix="/api/v1")


@bp.get("/docs")
def docs() -> ResponseReturnValue:
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
