"""The week view: the signed-in user's hours per day and per project, a chart and the entries,
and the week's approval in the current team (submit it; see why it is locked)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from models import Membership
from routes.dashboard.chart import week_chart
from routes.dashboard.week_cache import CSRF_SLOT, Body, fill_body, split_body, week_cache
from routes.team_context import current_team
from routes.url_patterns import id_url
from services.timesheet.approvals import current_week_state
from services.timesheet.dates import BadDate, Week, local_today, parse_week
from services.timesheet.locks import utc_today
from services.timesheet.week import summarize_week

bp = Blueprint("dashboard", __name__)

# Where the body goes in the page's shell (dashboard/week.html, the layout around it).
BODY_SLOT = Markup("<!-- week body -->")


@bp.get("/week")
@login_required
def week() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    try:
        chosen = parse_week(request.args.get("week"), request.args.get("start"), today)
    except BadDate as error:
        abort(400, description=f"{error} Use the arrows on the week page to move between weeks.")
    membership = current_team()  # loaded with the user: no query of its own
    key = (
        current_user.id,
        current_user.data_version,
        chosen.label,
        today,
        current_user.timezone,
        request.script_root,
        team_key(membership),
    )
    body = week_cache().get_or_render(key, lambda: render_body(chosen, today))
    # The shell (layout, flash messages, top bar) is rendered for every request; the body is
    # put in as bytes, so a long week is not escaped, joined or encoded again.
    shell = render_template("dashboard/week.html", week=chosen, body=BODY_SLOT)
    head, _, tail = shell.partition(BODY_SLOT)
    page = [head.encode(), fill_body(body, generate_csrf()), tail.encode()]
    return Response(page, mimetype="text/html")


def team_key(membership: Membership | None) -> Hashable:
    """What the body shows of the current team: its approval section and which rows are locked.
    The week's approval itself is not read on a hit: its every step bumps the member's data
    version (services/platform/data_version.py), and the rest of the lock rule
    (services/timesheet/locks.py:lock_reason: the team's days of grace against today's date in
    UTC) is keyed here."""
    if membership is None:
        return None
    team = membership.team
    return (team.id, team.name, team.lock_after_days, utc_today())


def render_body(chosen: Week, today: date) -> Body:
    summary = summarize_week(current_user.id, chosen, current_user.timezone)
    membership, state = current_week_state(current_user, chosen.monday)
    html = render_template(
        "dashboard/_week_body.html",
        summary=summary,
        chart=week_chart(summary),
        today=today,
        is_current=chosen.contains(today),
        membership=membership,
        state=state,
        project_url=id_url("projects.show", "project_id"),
        edit_url=id_url("entries.edit", "entry_id"),
        delete_url=id_url("entries.delete", "entry_id"),
        csrf=CSRF_SLOT,
    )
    return split_body(html)
