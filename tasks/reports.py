"""The report tasks: build one export, and the periodic clean-up (celery beat).

Thin: each takes ids or nothing, and calls the service that does the work
(``services/reports/exports.py``, ``services/reports/cleanup.py``).
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from services.reports.cleanup import run_cleanup
from services.reports.exports import CLEANUP_TASK, EXPORT_TASK, run_export


@shared_task(
    bind=True,
    name=EXPORT_TASK,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def export_report(self: Task[Any, Any], report_id: int) -> str:
    """Takes the report's id only: the row is the source of truth, read fresh by the worker.
    Late acknowledgement: a worker that dies mid-export leaves the message to be redelivered;
    the message id lets the redelivery take over its dead attempt's claim on the report, and
    any other overlapping run of the same report stops without touching it."""
    return run_export(report_id, delivery_id=self.request.id)


@shared_task(name=CLEANUP_TASK, ignore_result=True, acks_late=True)
def cleanup_expired() -> dict[str, int]:
    """Old reports deleted, stale ones queued again (safe to run twice: both steps re-read)."""
    return run_cleanup()
