"""Report exports (blueprint ``reports``): ask for one, watch its progress, download it.

Thin: the form validates the dates, services.reports.exports stores the report and queues the
export, the worker builds it. Another user's report is a 404, never a 403 (its existence is not
told).
"""

from __future__ import annotations

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
from wtforms.validators import InputRequired, Optional

from models import Report
from routes.dashboard.chart import color_for, range_chart
from routes.fields import required
from routes.lookup import found_or_404
from services.platform.queue import QueueUnavailable
from services.reports import exports as reports
from services.reports import summary as summary_service
from services.timesheet.dates import BadDate, local_today

bp = Blueprint("reports", __name__, url_prefix="/reports")

QUEUE_DOWN = (
    "Exports are unavailable right now (the background queue cannot be reached). "
    "Nothing was saved; please try again in a few minutes."
)


class ExportForm(FlaskForm):
    date_from = DateField("From", validators=[InputRequired("Choose the first day.")])
    date_to = DateField("To", validators=[InputRequired("Choose the last day.")])


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
