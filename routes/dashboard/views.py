"""The week view: the signed-in user's hours per day and per project, a chart and the entries."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from routes.dashboard.chart import week_chart
from routes.url_patterns import id_url
from services.timesheet.dates import BadDate, local_today, parse_week
from services.timesheet.week import summarize_week

bp = Blueprint("dashboard", __name__)


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
        project_url=id_url("projects.show", "project_id"),
        edit_url=id_url("entries.edit", "entry_id"),
        delete_url=id_url("entries.delete", "entry_id"),
    )
