"""The landing page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from services import health

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    """The landing page for visitors; a signed-in user goes straight to their week."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.week"))
    return render_template("main/index.html")


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    database = health.database_ok()
    body = {"status": "ok" if database else "unavailable", "database": "ok" if database else "down"}
    return jsonify(body), 200 if database else 503
