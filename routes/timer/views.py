"""Start, stop and discard the timer. Each answers with a redirect back to the page the form was
on (a same-site path only), with a flash saying what happened."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from routes.timer.forms import TimerStartForm, TimerStopForm
from services.timesheet import timer as timer_service
from services.timesheet.dates import format_minutes
from services.timesheet.entries import EntryError
from services.timesheet.timer import TimerError

bp = Blueprint("timer", __name__, url_prefix="/timer")


def back(target: str | None) -> ResponseReturnValue:
    return redirect(target or url_for("dashboard.week"))


def first_error(form: TimerStartForm | TimerStopForm) -> str:
    for messages in form.errors.values():
        for message in messages:
            return str(message)
    return "The form was not complete."


@bp.post("/start")
@login_required
def start() -> ResponseReturnValue:
    form = TimerStartForm()
    if not form.validate_on_submit() or form.timer_task.data is None:
        flash(first_error(form), "error")
        return back(form.back_to())
    try:
        timer = timer_service.start_timer(
            current_user, form.timer_task.data, form.timer_note.data or ""
        )
    except TimerError as error:
        flash(str(error), "error")
        return back(form.back_to())
    flash(f"Timer started on {timer.task.project.name} — {timer.task.name}.", "success")
    return back(form.back_to())


@bp.post("/stop")
@login_required
def stop() -> ResponseReturnValue:
    form = TimerStopForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return back(form.back_to())
    try:
        stopped = timer_service.stop_timer(current_user)
    except (TimerError, EntryError) as error:
        flash(str(error), "error")
        return back(form.back_to())
    if not stopped.entries:
        flash("Timer stopped after less than a minute: nothing was logged.", "info")
    else:
        total = sum(entry.minutes for entry in stopped.entries)
        days = ", ".join(f"{entry.spent_on:%a %d %b}" for entry in stopped.entries)
        flash(f"Timer stopped: logged {format_minutes(total)} on {days}.", "success")
    if stopped.capped_minutes:
        flash(
            f"{format_minutes(stopped.capped_minutes)} did not fit under the 24 h daily limit and"
            " was not logged. Check those days.",
            "error",
        )
    return back(form.back_to())


@bp.post("/discard")
@login_required
def discard() -> ResponseReturnValue:
    form = TimerStopForm()
    if form.validate_on_submit() and timer_service.discard_timer(current_user):
        flash("Timer discarded: nothing was logged.", "success")
    else:
        flash("No timer is running.", "info")
    return back(form.back_to())
