"""``/api/v1/reports``: CSV exports. POST starts one and answers 202 with a ``Location`` to poll;
GET that for the status; ``/download`` gives the file once it is done."""

from __future__ import annotations

from typing import Any

from flask import send_from_directory, url_for
from flask.views import MethodView

from extensions import PROBLEM_CONTENT_TYPE, ProblemSchema
from models import Report
from routes.api import problems
from routes.api.auth import caller
from routes.api.blueprint import Answer, created_links, resource_blueprint
from routes.api.idempotency import idempotent
from routes.api.paging import LIST_HEADERS, QUERY, PageArgs, list_headers, page_size
from routes.api.schemas import ReportCreate, ReportOut
from services.platform.queue import QueueUnavailable
from services.reports import exports

blp = resource_blueprint(
    "reports", "Report exports: a CSV of your entries, built in the background."
)

ID = "<int(min=1, max=2147483647):report_id>"
LOCATION = {"Location": {"description": "Poll this for the status", "schema": {"type": "string"}}}


def present(report: Report) -> dict[str, Any]:
    done = exports.finished_file(report) is not None
    return {
        "id": report.id,
        "date_from": report.date_from,
        "date_to": report.date_to,
        "status": report.status,
        "progress": report.progress,
        "rows_written": report.rows_written,
        "error": report.error,
        "created_at": report.created_at,
        "finished_at": report.finished_at,
        "download_url": url_for(".ReportDownload", report_id=report.id) if done else None,
    }


def owned_report(report_id: int) -> Report | None:
    return exports.get_user_report(caller().id, report_id)


def not_found() -> Answer:
    return problems.problem(404, "No such report.")


@blp.route("/reports")
class Reports(MethodView):
    @blp.arguments(PageArgs, **QUERY)
    @blp.response(200, ReportOut(many=True), headers=LIST_HEADERS)
    def get(self, args: dict[str, Any]) -> Answer:
        """List your exports, newest first."""
        page = exports.list_reports(caller().id, page=args["page"], per_page=page_size(args))
        return [present(report) for report in page.items], list_headers(page)

    @idempotent
    @blp.arguments(ReportCreate)
    @blp.response(202, ReportOut, headers=LOCATION)
    @blp.doc(
        operationId="createReport",
        **created_links(202, "report_id", "getReport", "downloadReport"),
    )
    def post(self, data: dict[str, Any]) -> Answer:
        """Start an export of the entries between two days (inclusive)."""
        try:
            report = exports.request_export(caller().id, data["date_from"], data["date_to"])
        except exports.InvalidReportRange as error:
            return problems.validation_problem({"date_to": [str(error)]})
        except QueueUnavailable:
            return problems.problem(
                503, "Exports are unavailable right now (the background queue cannot be reached)."
            )
        return present(report), {"Location": url_for(".Report", report_id=report.id)}


@blp.route(f"/reports/{ID}", endpoint="Report")
class ReportItem(MethodView):
    @blp.response(200, ReportOut)
    @blp.doc(operationId="getReport")
    def get(self, report_id: int) -> Answer:
        """The status of an export."""
        report = owned_report(report_id)
        return present(report) if report is not None else not_found()


@blp.route(f"/reports/{ID}/download", endpoint="ReportDownload")
class ReportDownload(MethodView):
    @blp.response(
        200,
        {"type": "string"},
        content_type="text/csv",
        description="The CSV file (entries, then totals)",
    )
    @blp.doc(operationId="downloadReport")
    @blp.alt_response(
        409,
        schema=ProblemSchema,
        content_type=PROBLEM_CONTENT_TYPE,
        description="Not finished yet: poll the report first",
    )
    def get(self, report_id: int) -> Answer:
        """Download a finished export."""
        report = owned_report(report_id)
        if report is None:
            return not_found()
        path = exports.finished_file(report)
        if path is None:
            if report.status in ("pending", "running"):
                return problems.problem(409, "The export is not finished yet.")
            return problems.problem(404, "This report failed or has expired.")
        name = f"timesheet-{report.date_from.isoformat()}-to-{report.date_to.isoformat()}.csv"
        return send_from_directory(
            path.parent, path.name, as_attachment=True, download_name=name, mimetype="text/csv"
        )
