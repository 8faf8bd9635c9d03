"""The week view: the signed-in user's hours per day and per project, a chart and the entries,
and the week's approval in the current team (submit it; see why it is locked)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from routes.approvals.views import WeekActionForm
from routes.dashboard.chart import week_chart
from routes.dashboard.grid import GridForm, cell_name, read_cells
from routes.team_context import current_team, remember
from services.projects import tasks as task_service
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
from services.timesheet.week import summarize_week

bp = Blueprint("dashboard", __name__)


@bp.get("/week")
@login_required
def week() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    chosen = chosen_week("week page")
    summary = summarize_week(current_user.id, chosen, current_user.timezone)
    membership, state = current_week_state(current_user, chosen.monday)
    remember(membership)
    # Only an empty week needs to know (its hint says what to do first).
    has_tasks = bool(summary.projects) or (
        membership is not None
        and bool(task_service.open_task_choices(current_user.id, membership.team_id))
    )
    return render_template(
        "dashboard/week.html",
        summary=summary,
        chart=week_chart(summary),
        today=today,
        is_current=chosen.contains(today),
        membership=membership,
        state=state,
        week_form=WeekActionForm(formdata=None, week=chosen.label),
        # Approvals and locks go by Monday weeks: the one holding this week's Monday.
        approval_week=week_of(chosen.monday),
        has_tasks=has_tasks,
    )


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
