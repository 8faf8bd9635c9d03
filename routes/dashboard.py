"""The week view: the signed-in user's hours per day and per project, a chart and the entries."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from services.dates import BadDate, format_minutes, local_today, parse_week, utc_to_local
from services.week import summarize_week, week_chart

bp = Blueprint("dashboard", __name__)


@bp.app_template_filter("hm")
def hours_minutes(minutes: int | None) -> str:
    return format_minutes(minutes)


@bp.app_template_filter("local_time")
def local_time(moment: datetime) -> str:
    """A stored UTC moment as the signed-in user's wall-clock time."""
    zone = getattr(current_user, "timezone", None)
    return f"{utc_to_local(moment, zone):%H:%M}"


@bp.get("/week")
@login_required
def week() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    try:
        chosen = parse_week(request.args.get("week"), request.args.get("start"), today)
    except BadDate as error:
        abort(400, description=f"{error} Use the arrows on the week page to move between weeks.")
    summary = summarize_week(current_user.id, chosen, current_user.timezone)
    return render_template(
        "dashboard/week.html",
        summary=summary,
        chart=week_chart(summary),
        today=today,
        is_current=chosen.contains(today),
    )
