"""The week view: the signed-in user's hours per day and per project, a chart and the entries,
and the week's approval in the current team (submit it; see why it is locked)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from routes.approvals.views import WeekActionForm
from routes.dashboard.chart import week_chart
from routes.team_context import remember
from services.timesheet.approvals import current_week_state
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
    membership, state = current_week_state(current_user, chosen.monday)
    remember(membership)
    return render_template(
        "dashboard/week.html",
        summary=summary,
        chart=week_chart(summary),
        today=today,
        is_current=chosen.contains(today),
        membership=membership,
        state=state,
        week_form=WeekActionForm(formdata=None, week=chosen.label),
    )
