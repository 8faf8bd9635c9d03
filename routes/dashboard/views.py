"""The week view: the signed-in user's hours per day and per project, a chart and the entries,
and the week's approval in the current team (submit it; see why it is locked)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from models import Membership
from routes.dashboard.chart import week_chart
from routes.dashboard.grid import GridForm, cell_name, read_cells
from routes.dashboard.week_cache import (
    CSRF_SLOT,
    HINT_SLOT,
    Body,
    fill_body,
    page_around,
    split_body,
    week_cache,
)
from routes.team_context import current_team, open_task_choices
from routes.url_patterns import id_url
from services.timesheet import grid as grid_service
from services.timesheet.approvals import current_week_state
from services.timesheet.dates import (
    BadDate,
    Week,
    format_minutes,
    local_today,
    parse_week,
    week_of,
)
from services.timesheet.locks import utc_today
from services.timesheet.week import summarize_week

bp = Blueprint("dashboard", __name__)


@bp.get("/week")
@login_required
def week() -> ResponseReturnValue:
    chosen = chosen_week("week page")
    today = local_today(current_user.timezone)
    membership = current_team()  # loaded with the user: no query of its own
    key = (
        current_user.id,
        current_user.data_version,
        chosen.first,
        today,
        # The display settings the body is drawn with: the zone (times, "today"), the first day
        # of the week (which days), the clock (entries' times, the approval history's moments).
        current_user.timezone,
        current_user.week_start,
        current_user.clock_24h,
        request.script_root,
        team_key(membership),
    )
    body = week_cache().get_or_render(key, lambda: render_body(chosen, today))
    filled = fill_body(body, generate_csrf())
    if HINT_SLOT_BYTES in filled:
        # An empty current week: its "getting started" hint depends on the team's tasks and the
        # role, which the key does not hold, so it is drawn for each request, outside the cache.
        filled = filled.replace(HINT_SLOT_BYTES, empty_week_hint(membership, today), 1)
    return page_around(filled, "dashboard/week.html", week=chosen)


HINT_SLOT_BYTES = HINT_SLOT.encode()


def empty_week_hint(membership: Membership | None, today: date) -> bytes:
    """What to do first (create a project, or start the timer): shares the timer strip's task
    choices (one query per request at most)."""
    has_tasks = membership is not None and bool(open_task_choices(membership.team_id))
    html = render_template(
        "dashboard/_empty_week.html", membership=membership, has_tasks=has_tasks, today=today
    )
    return html.encode()


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
        # Approvals and locks go by Monday weeks: the one holding this week's Monday.
        approval_week=week_of(chosen.monday),
        project_url=id_url("projects.show", "project_id"),
        edit_url=id_url("entries.edit", "entry_id"),
        delete_url=id_url("entries.delete", "entry_id"),
        csrf=CSRF_SLOT,
        hint=HINT_SLOT,
    )
    return split_body(html)


def chosen_week(page: str) -> Week:
    """The week of ``?week=`` or ``?start=`` (this week without either), starting on the
    user's first day of the week; a malformed one is a 400 page."""
    today = local_today(current_user.timezone)
    try:
        return parse_week(
            request.args.get("week"), request.args.get("start"), today, current_user.week_start
        )
    except BadDate as error:
        abort(400, description=f"{error} Use the arrows on the {page} to move between weeks.")


@bp.route("/week/grid", methods=["GET", "POST"])
@login_required
def grid() -> ResponseReturnValue:
    """Hours per task and day. Save writes the changed cells; "Add row" and "Copy last week's
    rows" only add rows to the page (what was typed stays in the cells until Save)."""
    week = chosen_week("grid page")
    form = GridForm()
    extra: list[int] = []
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, description="The form expired. Reload the grid and type the hours again.")
        cells, typed, errors, rows = read_cells(request.form.to_dict())
        extra = sorted(rows)
        if "add_row" in request.form:
            extra.append(request.form.get("add_task", type=int) or 0)
        elif "copy_rows" in request.form:
            extra += grid_service.last_week_task_ids(current_user.id, week)
        elif errors:
            status = 422
        else:
            try:
                written = grid_service.save_grid(current_user, week, cells)
            except grid_service.GridError as error:
                errors[cell_name(*error.cell)] = error.message
                flash(f"Nothing was saved: {error.message}", "error")
                status = 422
            else:
                flash(
                    f"Week saved: {written} change{'' if written == 1 else 's'}."
                    if written
                    else "Nothing had changed.",
                    "success",
                )
                return redirect(url_for("dashboard.grid", week=week.label))
    elif request.args.get("copy"):
        extra = grid_service.last_week_task_ids(current_user.id, week)
    membership = current_team()
    table = grid_service.build_grid(
        current_user.id, membership.team_id if membership else None, week, extra
    )
    return render_template(
        "dashboard/grid.html",
        grid=table,
        form=form,
        typed=typed,
        errors=errors,
        cell_name=cell_name,
        format_minutes=format_minutes,
    ), status
