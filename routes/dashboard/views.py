"""The week view: the signed-in user's hours per day and per project, a chart and the entries."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from routes.dashboard.chart import week_chart
from services.projects import tasks as task_service
from services.timesheet.dates import BadDate, local_today, parse_week
from services.timesheet.week import summarize_week

bp = Blueprint("dashboard", __name__)


@bp.get("/week")
@login_required
def week() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    try:
        chosen = parse_week(
            request.args.get("week"), request.args.get("start"), today, current_user.week_start
        )
    except BadDate as error:
        abort(400, description=f"{error} Use the arrows on the week page to move between weeks.")
    summary = summarize_week(current_user.id, chosen, current_user.timezone)
    # Only an empty week needs to know (its hint says what to do first).
    has_tasks = bool(summary.projects) or bool(task_service.open_tasks_for(current_user.id))
    return render_template(
        "dashboard/week.html",
        summary=summary,
        chart=week_chart(summary),
        today=today,
        is_current=chosen.contains(today),
        has_tasks=has_tasks,
    )
