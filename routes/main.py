"""The landing page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from services import health

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("main/index.html")


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    database = health.database_ok()
    body = {"status": "ok" if database else "unavailable", "database": "ok" if database else "down"}
    return jsonify(body), 200 if database else 503
