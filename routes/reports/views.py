"""Report exports (blueprint ``reports``): ask for one, watch its progress, download it.

Thin: the form validates the dates, services.reports.exports stores the report and queues the
export, the worker builds it. Another user's report is a 404, never a 403 (its existence is not
told).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField

# wtforms 3.3 wants SelectChoice (tuples are deprecated); the stubs predate it.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import InputRequired, Optional

from models import Membership, Report
from routes.dashboard.chart import color_for, range_chart
from routes.fields import required
from routes.lookup import found_or_404
from routes.team_context import team_required
from services.platform.queue import QueueUnavailable
from services.reports import exports as reports
from services.reports import summary as summary_service
from services.reports import team as team_reports
from services.timesheet.dates import BadDate, local_today

bp = Blueprint("reports", __name__, url_prefix="/reports")

QUEUE_DOWN = (
    "Exports are unavailable right now (the background queue cannot be reached). "
    "Nothing was saved; please try again in a few minutes."
)


class ExportForm(FlaskForm):
    date_from = DateField("From", validators=[InputRequired("Choose the first day.")])
    date_to = DateField("To", validators=[InputRequired("Choose the last day.")])


def optional_int(value: object) -> int | None:
    """A select's value as an id; empty (everyone, all projects) or junk is None."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


class TeamReportForm(ExportForm):
    """The team report's selection; sent as a query string (GET) for the list on screen, and
    as a form (POST) for the CSV export."""

    class Meta:
        # The GET list changes nothing; the POST export is checked by the app-wide CSRFProtect.
        csrf = False

    person = SelectField("Person", coerce=optional_int, validate_choice=False)
    project = SelectField("Project", coerce=optional_int, validate_choice=False)


class SummaryForm(FlaskForm):
    """The on-screen report's choices: a GET form (it changes nothing, so no CSRF token), read
    from the query string so a report is a link that can be bookmarked."""

    class Meta:
        csrf = False

    range = SelectField("Range", choices=summary_service.RANGES, validate_choice=False)
    group = SelectField("Group by", choices=summary_service.GROUPS, validate_choice=False)
    # Not date_from/date_to: those are the export form's fields on the same page.
    first = DateField("From", validators=[Optional()])
    last = DateField("To", validators=[Optional()])


def owned_report(report_id: int) -> Report:
    return found_or_404(reports.get_user_report(current_user.id, report_id))


def status_text(report: Report) -> str:
    """The one wording of a report's state: the pages show it, and the progress JSON carries it
    for the script that updates them (templates/reports/_poll.html)."""
    if report.status == "done":
        return f"Ready: {report.rows_written} entries."
    if report.status == "failed":
        return "Failed."
    if report.status == "running":
        return f"Building… {report.progress}% ({report.rows_written} entries so far)"
    return "Waiting for the worker…"


def progress_body(report: Report) -> dict[str, object]:
    """A report's state, for the progress JSON and for the pages that show it."""
    done = reports.finished_file(report) is not None
    return {
        "id": report.id,
        "status": report.status,
        "status_text": status_text(report),
        "progress": report.progress,
        "rows_written": report.rows_written,
        "error": report.error,
        "download_url": url_for("reports.download", report_id=report.id) if done else None,
    }


def index_page(
    form: ExportForm | None = None, status: int = 200, error: str | None = None
) -> ResponseReturnValue:
    """The reports page: the on-screen summary for the chosen range, the export form for the
    same range, and the user's exports."""
    today = local_today(current_user.timezone)
    choices = SummaryForm(request.args)
    choices.validate()  # the shape only: a bad date is None here, and said so below
    range_error = None
    try:
        choice = summary_service.choose(
            choices.range.data,
            choices.group.data,
            choices.first.data,
            choices.last.data,
            today,
            current_user.week_start,
        )
    except BadDate as bad:
        range_error = str(bad)
        choice = summary_service.choose(
            None, choices.group.data, None, None, today, current_user.week_start
        )
    choices.range.data, choices.group.data = choice.range, choice.group
    choices.first.data, choices.last.data = choice.date_from, choice.date_to
    summary = summary_service.summarize(current_user.id, choice)
    # The export takes the same range; one that runs into the future stops at today (the same
    # entries, and the file's name says what it holds).
    until = min(choice.date_to, today) if choice.date_from <= today else choice.date_to
    export_form = form or ExportForm(date_from=choice.date_from, date_to=until)
    items = [(report, progress_body(report)) for report in reports.user_reports(current_user.id)]
    page = render_template(
        "reports/index.html",
        form=export_form,
        reports=items,
        error=error,
        choices=choices,
        summary=summary,
        chart=range_chart(summary),
        color_for=color_for,
        range_error=range_error,
    )
    return page, status


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    return index_page()


@bp.post("/")
@login_required
def create() -> ResponseReturnValue:
    form = ExportForm()
    if not form.validate_on_submit():
        return index_page(form, 400)
    try:
        report = reports.request_export(
            current_user.id, required(form.date_from.data), required(form.date_to.data)
        )
    except reports.InvalidReportRange as exc:
        form.date_to.errors = [*form.date_to.errors, str(exc)]
        return index_page(form, 400)
    except QueueUnavailable:
        return index_page(form, 503, QUEUE_DOWN)
    # Worded to stay true once the file is ready (the progress box below says how far it is).
    flash(
        f"Export requested for {report.date_from:%d %b %Y}\N{EN DASH}{report.date_to:%d %b %Y}.",
        "success",
    )
    return redirect(url_for("reports.show", report_id=report.id))


@bp.get("/<int:report_id>")
@login_required
def show(report_id: int) -> ResponseReturnValue:
    report = owned_report(report_id)
    return render_template("reports/show.html", report=report, state=progress_body(report))


@bp.get("/<int:report_id>/progress")
@login_required
def progress(report_id: int) -> ResponseReturnValue:
    response = jsonify(progress_body(owned_report(report_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:report_id>/download")
@login_required
def download(report_id: int) -> ResponseReturnValue:
    report = owned_report(report_id)
    path = reports.finished_file(report)
    if path is None:
        abort(404, "This report is not ready, or it has expired.")
    name = f"timesheet-{report.date_from.isoformat()}-to-{report.date_to.isoformat()}.csv"
    return send_from_directory(
        path.parent, path.name, as_attachment=True, download_name=name, mimetype="text/csv"
    )


# --- Team reports (managers) --------------------------------------------------------------------


def team_form(formdata: Any) -> tuple[TeamReportForm, Membership]:
    membership = team_required("see_team_time")
    today = local_today(current_user.timezone)
    form = TeamReportForm(formdata=formdata, date_from=today.replace(day=1), date_to=today)
    people, projects = team_reports.choices(membership.team_id)
    form.person.choices = [SelectChoice("", "Everyone")] + [
        SelectChoice(str(pid), name) for pid, name in people
    ]
    form.project.choices = [SelectChoice("", "All projects")] + [
        SelectChoice(str(pid), name) for pid, name in projects
    ]
    return form, membership


@bp.get("/team")
@login_required
def team() -> ResponseReturnValue:
    form, membership = team_form(request.args or None)
    result, status = None, 200
    if form.validate():
        try:
            selection = team_reports.make_filter(
                membership,
                required(form.date_from.data),
                required(form.date_to.data),
                form.person.data,
                form.project.data,
            )
        except reports.InvalidReportRange as exc:
            form.date_to.errors = [*form.date_to.errors, str(exc)]
            status = 400
        else:
            result = team_reports.team_report(selection)
    elif request.args:
        status = 400
    page = render_template(
        "reports/team.html",
        form=form,
        result=result,
        team=membership.team,
        limit=team_reports.LIST_LIMIT,
    )
    return page, status


@bp.post("/team")
@login_required
def team_export() -> ResponseReturnValue:
    form, membership = team_form(None)
    form.process(request.form)
    if not form.validate():
        return render_template(
            "reports/team.html", form=form, result=None, team=membership.team
        ), 400
    try:
        report = reports.request_export(
            current_user.id,
            required(form.date_from.data),
            required(form.date_to.data),
            team_id=membership.team_id,
            person_id=form.person.data,
            project_id=form.project.data,
        )
    except reports.InvalidReportRange as exc:
        form.date_to.errors = [*form.date_to.errors, str(exc)]
        return render_template(
            "reports/team.html", form=form, result=None, team=membership.team
        ), 400
    except QueueUnavailable:
        flash(QUEUE_DOWN, "error")
        return redirect(url_for("reports.team")), 303
    flash("The team export is on its way. This page shows its progress.", "success")
    return redirect(url_for("reports.show", report_id=report.id))
