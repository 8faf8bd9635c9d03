"""Time entries: log, edit and delete time. The form's task list holds only the signed-in user's
open tasks; the service checks the task again, so a forged id stores nothing."""

from __future__ import annotations

from datetime import date, time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from models import TimeEntry
from routes.entries.forms import EntryForm
from routes.fields import add_error
from routes.lookup import found_or_404
from routes.pagination import page_arg
from services.projects import tasks as task_service
from services.timesheet import entries as entry_service
from services.timesheet.dates import (
    BadDate,
    format_minutes,
    local_today,
    parse_day,
    utc_to_local,
    week_of,
)
from services.timesheet.entries import DeletedEntry, EntryError
from services.timesheet.locks import week_lock

bp = Blueprint("entries", __name__)

INVALID = 422
DEFAULT_START = time(9, 0)
# The session keys of "Undo" after a delete: the snapshot, and a one-shot flag that shows the
# Undo button on the next page (routes/site.py:undo_offer reads both).
UNDO_KEY = "undo_entry"
UNDO_OFFER_KEY = "undo_offer"


def owned_entry(entry_id: int) -> TimeEntry:
    return found_or_404(entry_service.get_entry_for(current_user.id, entry_id))


def week_url(day: date) -> str:
    return url_for("dashboard.week", week=week_of(day, current_user.week_start).label)


def save(form: EntryForm, entry: TimeEntry | None) -> TimeEntry | None:
    """Validate and store; on a rule the service refuses, put its message on the field."""
    if not form.validate_on_submit():
        return None
    try:
        if entry is None:
            return entry_service.create_entry(current_user, form.to_input())
        return entry_service.update_entry(current_user, entry, form.to_input())
    except EntryError as error:
        add_error(form[error.field], error.message)
        return None


def warn_about_overlaps(entry: TimeEntry) -> None:
    """Overlaps are allowed (a call during a meeting) but never silent."""
    others = entry_service.overlaps(current_user.id, entry)
    if others:
        other = others[0]
        more = f" and {len(others) - 1} more" if len(others) > 1 else ""
        flash(
            f"Heads up: this entry overlaps {other.spent_on:%a %d %b} "
            f"{utc_to_local(other.started_at, current_user.timezone):%H:%M}\N{EN DASH}"
            f"{utc_to_local(other.ended_at, current_user.timezone):%H:%M} "
            f"({other.task.project.name} — {other.task.name}){more}.",
            "info",
        )


@bp.get("/entries/")
@login_required
def index() -> ResponseReturnValue:
    page = entry_service.list_entries(
        current_user.id, page=page_arg(), per_page=current_app.config["ENTRIES_PER_PAGE"]
    )
    return render_template("entries/index.html", page=page)


@bp.route("/entries/new", methods=["GET", "POST"])
@login_required
def create() -> ResponseReturnValue:
    tasks = task_service.open_tasks_for(current_user.id)
    form = EntryForm()
    form.set_task_choices(tasks)
    if request.method == "GET":
        day = prefilled_day()
        last_task, start = entry_service.where_the_user_left_off(current_user, day)
        open_ids = {task.id for task in tasks}
        form.day.data = day
        form.start.data = start or DEFAULT_START
        asked = request.args.get("task_id", type=int)
        form.task_id.data = asked or (last_task if last_task in open_ids else None)
    entry = save(form, None)
    if entry is not None:
        flash(f"Logged {format_minutes(entry.minutes)} on {entry.spent_on:%a %d %b}.", "success")
        warn_about_overlaps(entry)
        return redirect(week_url(entry.spent_on))
    status = INVALID if form.errors else 200
    page = render_template("entries/form.html", form=form, entry=None, has_tasks=bool(tasks))
    return page, status


def prefilled_day() -> date:
    """``?day=`` from the week view's "log time" links; a bad value just means today."""
    today = local_today(current_user.timezone)
    try:
        return parse_day(request.args.get("day") or today.isoformat())
    except BadDate:
        return today


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(entry_id: int) -> ResponseReturnValue:
    entry = owned_entry(entry_id)
    tasks = task_service.open_tasks_for(current_user.id)
    if entry.task not in tasks:  # a closed task or archived project stays selectable here
        tasks = [entry.task, *tasks]
    form = EntryForm(data=entry_data(entry) if request.method == "GET" else None)
    form.set_task_choices(tasks)
    saved = save(form, entry)
    if saved is not None:
        flash(
            f"Entry updated: {format_minutes(saved.minutes)} on {saved.spent_on:%a %d %b}.",
            "success",
        )
        warn_about_overlaps(saved)
        return redirect(week_url(saved.spent_on))
    status = INVALID if form.errors else 200
    return render_template("entries/form.html", form=form, entry=entry, has_tasks=True), status


def entry_data(entry: TimeEntry) -> dict[str, object]:
    """The stored entry as the form shows it: local day and start, duration as H:MM. Only for
    GET: on POST, a field the browser did not send must stay empty, not fall back to this."""
    start = utc_to_local(entry.started_at, current_user.timezone)
    return {
        "task_id": entry.task_id,
        "day": entry.spent_on,
        "start": start.time().replace(second=0, microsecond=0),
        "duration": format_minutes(entry.minutes),
        "note": entry.note,
    }


@bp.route("/entries/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete(entry_id: int) -> ResponseReturnValue:
    """GET is the confirmation step (what will be deleted, and a button); POST deletes."""
    entry = owned_entry(entry_id)
    if request.method == "GET":
        local_start = utc_to_local(entry.started_at, current_user.timezone)
        local_end = utc_to_local(entry.ended_at, current_user.timezone)
        return render_template(
            "entries/confirm_delete.html",
            entry=entry,
            local_start=local_start,
            local_end=local_end,
            locked=week_lock(current_user.id, entry.task.project.team_id, entry.spent_on),
        )
    day = entry.spent_on
    try:
        deleted = entry_service.delete_entry(current_user, entry)
    except EntryError as error:
        flash(error.message, "error")
        return redirect(week_url(day)), 303
    session[UNDO_KEY] = deleted.to_dict()
    session[UNDO_OFFER_KEY] = True
    flash(
        f"Deleted the entry of {format_minutes(deleted.minutes)} on {deleted.day:%a %d %b}.",
        "success",
    )
    return redirect(week_url(deleted.day))


@bp.post("/entries/undo")
@login_required
def undo_delete() -> ResponseReturnValue:
    deleted = DeletedEntry.from_dict(session.pop(UNDO_KEY, None))
    session.pop(UNDO_OFFER_KEY, None)
    if deleted is None:
        flash("There is nothing to undo.", "info")
        return redirect(url_for("dashboard.week"))
    try:
        entry = entry_service.restore_entry(current_user, deleted)
    except EntryError as error:
        flash(f"The entry could not be put back: {error.message}", "error")
        return redirect(week_url(deleted.day))
    flash(
        f"Entry restored: {format_minutes(entry.minutes)} on {entry.spent_on:%a %d %b}.", "success"
    )
    return redirect(week_url(entry.spent_on))
