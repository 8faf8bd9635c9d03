"""App-wide concerns, in one visible module: the landing page, ``/healthz`` and ``/readyz``,
error pages, the template filters every page uses, the headers every response gets, and the
request id with its one log line per request.

``app.py:register_blueprints`` registers ``bp`` and calls ``init_app``; no feature blueprint adds
app-wide hooks of its own.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from extensions import db, limiter
from models import Timer
from routes import form_html, team_context
from routes.api import problems
from services import access
from services.platform import health, readiness, request_id
from services.timesheet import timer as timer_service
from services.timesheet.dates import format_minutes, utc_to_local
from services.timesheet.entries import DeletedEntry

bp = Blueprint("site", __name__)


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


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Ready for traffic: database, migrations at head, broker, a live worker (each within 2 s).
    ``/healthz`` says the process runs; this says it can do its work."""
    checks = readiness.run_checks()
    failed = sorted(name for name, result in checks.items() if result != readiness.OK)
    body = {"status": "unavailable" if failed else "ready", "failed": failed, "checks": checks}
    response = jsonify(body)
    response.status_code = 503 if failed else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the app-wide hooks: error handlers, template filters, response headers."""
    app.before_request(start_request)
    app.after_request(log_request)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(access.NotAllowed, not_allowed)
    app.register_error_handler(access.NoTeam, no_team)
    app.register_error_handler(SecurityError, untrusted_host)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, internal_error)
    app.context_processor(team_context.template_helpers)
    app.add_template_filter(hours_minutes, "hm")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_moment, "local_moment")
    app.add_template_filter(local_day, "local_day")
    app.add_template_filter(clock, "clock")
    app.add_template_filter(hours_minutes_seconds, "hms")
    app.add_template_global(timer_bar, "timer_bar")
    app.add_template_global(undo_offer, "undo_offer")
    app.add_template_global(form_html.render_input, "render_input")
    app.add_template_global(form_html.render_label, "render_label")
    app.add_template_global(form_html.render_hidden_fields, "hidden_fields")
    app.after_request(private_pages_are_not_stored)


# --- Request id and the request log -------------------------------------------------------------


def start_request() -> None:
    """Take the caller's (or proxy's) X-Request-ID when it is sane, else make one."""
    g.request_started = time.perf_counter()
    request_id.set_current(request_id.accept_or_generate(request.headers.get(request_id.HEADER)))


def log_request(response: Response) -> Response:
    """One line per request, with its id (also sent back in X-Request-ID)."""
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    current_id = request_id.current()
    if current_id:
        response.headers[request_id.HEADER] = current_id
    current_app.logger.getChild("request").info(
        "%s %s %s %s ms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "remote_addr": request.remote_addr,
        },
    )
    return response


# --- Template filters ---------------------------------------------------------------------------


def hours_minutes(minutes: int | None) -> str:
    return format_minutes(minutes)


def hours_minutes_seconds(seconds: int) -> str:
    """``3725`` -> ``1:02:05``: a running timer's elapsed time (static/timer.js ticks it on)."""
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class TimerBar:
    """What the top bar shows: the running timer, or the tasks a timer can start on."""

    timer: Timer | None
    elapsed: int = 0
    tasks: tuple[tuple[int, str, str], ...] = ()  # id, project, task


def timer_bar() -> TimerBar | None:
    """Called by base.html only for a signed-in user (a template global, not a context
    processor, so mails and error pages of visitors run no query for it)."""
    if not current_user.is_authenticated:
        return None
    timer = current_user.loaded_timer  # loaded with the user: no query of its own
    if timer is False:
        timer = timer_service.running_timer(current_user.id)
    if timer is not None:
        return TimerBar(timer, timer_service.elapsed_seconds(timer))
    membership = team_context.current_team()
    if membership is None:
        return TimerBar(None)
    return TimerBar(None, tasks=team_context.open_task_choices(membership.team_id))


def undo_offer() -> DeletedEntry | None:
    """The entry just deleted, once: the page after a delete shows an Undo button (a form to
    ``entries.undo_delete``), like a flash message. The snapshot itself stays in the session
    until it is used, replaced or too old (services/timesheet/entries.py:restore_entry)."""
    if not session.pop("undo_offer", False):
        return None
    return DeletedEntry.from_dict(session.get("undo_entry"))


def clock(moment: datetime) -> str:
    """A local time of day on the signed-in user's clock: ``14:05`` or ``2:05 pm``."""
    if getattr(current_user, "clock_24h", True):
        return f"{moment:%H:%M}"
    return f"{(moment.hour % 12) or 12}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


def local_time(moment: datetime, with_day: bool = False) -> str:
    """A stored UTC moment as the signed-in user's wall-clock time, on their clock (after the
    local date with ``with_day``)."""
    local = utc_to_local(moment, getattr(current_user, "timezone", None))
    return f"{local:%Y-%m-%d} {clock(local)}" if with_day else clock(local)


def local_moment(moment: datetime) -> str:
    """A stored UTC moment as the user's local day and time: ``22 Nov 2026, 17:34``."""
    local = utc_to_local(moment, getattr(current_user, "timezone", None))
    return f"{local:%d %b %Y}, {clock(local)}"


def local_day(moment: datetime) -> str:
    """A stored UTC moment as the user's local day: ``22 Nov 2026`` (a token's expiry)."""
    return f"{utc_to_local(moment, getattr(current_user, 'timezone', None)):%d %b %Y}"


# --- Response headers ---------------------------------------------------------------------------


def private_pages_are_not_stored(response: Response) -> Response:
    """A page shown to a signed-in user holds their data: no browser or proxy may keep a copy
    (after logout, Back or a shared computer would show it again). Static files are skipped
    before the user is loaded, so serving them never touches the database."""
    if request.endpoint != "static" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


# --- Error pages: JSON for clients that ask for it, HTML for everyone else ---------------------


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(code: int, name: str, description: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(error=name, message=description), code
    return render_template("errors/error.html", code=code, name=name, description=description), code


def csrf_error(error: CSRFError) -> ResponseReturnValue:
    if problems.is_api_request():
        return problems.problem(400, "The CSRF token is missing or invalid.")
    return error_response(
        400,
        "Bad Request",
        "The form expired or was not sent by this site. Go back, reload the page and try again.",
    )


def not_allowed(error: access.NotAllowed) -> ResponseReturnValue:
    """A role too low for the action, in a team the user sees (other teams' objects are 404)."""
    db.session.rollback()
    if problems.is_api_request():
        return problems.problem(403, str(error))
    return error_response(403, "Forbidden", str(error))


def no_team(error: access.NoTeam) -> ResponseReturnValue:
    if problems.is_api_request():
        return problems.problem(
            409, "You belong to no team yet: create one or accept an invitation on the web pages."
        )
    flash("Create a team, or ask for an invitation to one, to use that page.", "info")
    return redirect(url_for("teams.index"))


def untrusted_host(error: SecurityError) -> ResponseReturnValue:
    # The Host header is not in TRUSTED_HOSTS: every url_for (the layout has several) would fail
    # again, so the answer is plain text.
    return Response(f"400 Bad Request: {error.description}", 400, mimetype="text/plain")


def http_error(error: HTTPException) -> ResponseReturnValue:
    # API clients get a problem document, never an HTML page or a redirect.
    if problems.is_api_request():
        return problems.from_http_exception(error)
    code = error.code or 500
    response = error_response(code, error.name, error.description or "")
    if code == 405 and error.get_response().headers.get("Allow"):
        body, status = response
        return body, status, {"Allow": error.get_response().headers["Allow"]}
    return response


DATABASE_DOWN = (
    "The database cannot be reached right now. Nothing was saved; please try again in a minute."
)


def database_error(error: DBAPIError) -> ResponseReturnValue:
    """The database is down, restarting or dropped the connection: a 503 that says so, not a
    500; any other database error stays a 500. pool_pre_ping replaces the dead connections, so
    the first request after the outage works again."""
    if not health.is_outage(error):
        raise error  # a bug: logged by Flask and answered by internal_error, as before
    return database_unavailable(error)


def database_unavailable(error: DBAPIError) -> ResponseReturnValue:
    current_app.logger.warning("database unavailable: %s", str(error.orig or error)[:200])
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session().invalidate()
    # The layout shows the signed-in user, which would need the database again: from here on,
    # this request is anonymous.
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    if problems.is_api_request():
        return problems.problem(503, DATABASE_DOWN, headers={"Retry-After": "30"})
    body, status = error_response(503, "Service Unavailable", DATABASE_DOWN)
    return body, status, {"Retry-After": "30"}


def too_many_requests(error: RateLimitExceeded) -> ResponseReturnValue:
    """A 429 that says when to come back: ``Retry-After`` in seconds, on the page or in a
    problem+json body for JSON clients."""
    current = limiter.current_limit
    wait = max(1, math.ceil(current.reset_at - time.time())) if current else 60
    detail = (
        f"Too many attempts. Please wait {wait} second{'s' if wait != 1 else ''} "
        "before trying again."
    )
    headers = {"Retry-After": str(wait)}
    if wants_json() or problems.is_api_request():
        body = {
            "type": "about:blank",
            "title": "Too Many Requests",
            "status": 429,
            "detail": detail,
        }
        response = jsonify(body)
        response.mimetype = "application/problem+json"
        return response, 429, headers
    page = render_template(
        "errors/error.html", code=429, name="Too Many Requests", description=detail
    )
    return page, 429, headers


def internal_error(error: InternalServerError) -> ResponseReturnValue:
    # An error whose root is a database outage (a failed flush leaves "transaction rolled back"
    # errors behind it) is the outage's 503, not a 500.
    outage = health.outage_behind(error.original_exception)
    if outage is not None:
        return database_unavailable(outage)
    # The page is rendered in the failed request's session. After a failed SQL statement
    # PostgreSQL refuses every further query in that transaction, and the layout may need one
    # (loading the signed-in user for the nav): without this rollback the error page itself
    # fails and the user gets a bare 500. (Unsaved rows are discarded either way: Flask-SQLAlchemy
    # removes the session, rolling back, when the app context ends; the next request is clean.)
    # A rollback on a connection the server dropped fails too: the connection is then discarded.
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session().invalidate()
    if problems.is_api_request():
        return problems.internal_error()
    return error_response(
        500,
        "Internal Server Error",
        "Something went wrong on our side. Nothing was saved; please try again.",
    )
