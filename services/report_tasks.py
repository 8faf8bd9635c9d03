"""The Celery task that builds a report export (see services/reports.py for the work itself)."""

from __future__ import annotations

from celery import shared_task

from services.reports import EXPORT_TASK, run_export


@shared_task(name=EXPORT_TASK, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def export_report(report_id: int) -> str:
    """Takes the report's id only: the row is the source of truth, read fresh by the worker.
    Late acknowledgement: a worker that dies mid-export leaves the message to be redelivered,
    and run_export is idempotent, so the redelivery finishes the one report."""
    return run_export(report_id)
