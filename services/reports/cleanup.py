"""Periodic clean-up rules, run by celery beat through ``tasks/reports.py:cleanup_expired``
(schedule: ``CELERY["beat_schedule"]`` in config.py).

- Reports older than ``REPORT_MAX_AGE_DAYS``: rows deleted, then their files (and any file in the
  reports folder older than that, e.g. left by a crash between the two).
- Reports stuck pending/running with no progress for ``REPORT_STALE_AFTER_SECONDS``: queued again.
  The zero-server broker (kombu's SQLAlchemy transport) has no visibility timeout, so a message
  taken by a worker that was SIGKILLed is never redelivered; this is what finishes that report.
  (Password reset tokens are signed and stateless: there is nothing stored to expire.)
- The API's idempotency keys older than ``IDEMPOTENCY_KEY_MAX_AGE``: deleted.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from extensions import db
from models import Report
from services.platform.queue import enqueue
from services.platform.transactions import begin_write
from services.reports.exports import EXPORT_TASK, reports_folder
from services.tokens.idempotency import delete_expired_keys

log = logging.getLogger(__name__)


def delete_expired_reports(now: datetime) -> int:
    cutoff = now - timedelta(days=current_app.config["REPORT_MAX_AGE_DAYS"])
    begin_write()  # SQLite: read the ids and delete them under one lock
    ids = list(db.session.scalars(select(Report.id).where(Report.created_at < cutoff)))
    if ids:
        db.session.execute(delete(Report).where(Report.id.in_(ids)))
    db.session.commit()
    folder = reports_folder()
    removed_files = 0
    if folder.is_dir():
        for path in folder.iterdir():
            stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            if path.is_file() and (stamp < cutoff or _belongs_to(path.name, ids)):
                path.unlink(missing_ok=True)
                removed_files += 1
    log.info("clean-up: %d expired reports, %d files removed", len(ids), removed_files)
    return len(ids)


def _belongs_to(file_name: str, report_ids: list[int]) -> bool:
    return any(
        file_name == f"report-{rid}.csv" or file_name.startswith(f"report-{rid}-")
        for rid in report_ids
    )


def requeue_stale_reports(now: datetime) -> int:
    stale_before = now - timedelta(seconds=current_app.config["REPORT_STALE_AFTER_SECONDS"])
    ids = list(
        db.session.scalars(
            select(Report.id).where(
                Report.status.in_(("pending", "running")), Report.updated_at < stale_before
            )
        )
    )
    # End the read: on SQLite a write in the same transaction would fail at once ("database is
    # locked") if the web app wrote in between (a stale snapshot cannot take the write lock).
    db.session.commit()
    for report_id in ids:
        # Touch the row first (and commit) so the next run does not queue it again at once.
        db.session.execute(update(Report).where(Report.id == report_id).values(updated_at=now))
        db.session.commit()
        enqueue(EXPORT_TASK, report_id)
    return len(ids)


def run_cleanup(now: datetime | None = None) -> dict[str, int]:
    now = now or datetime.now(UTC)
    deleted = delete_expired_reports(now)
    requeued = requeue_stale_reports(now)
    keys = delete_expired_keys(now)  # the API's idempotency keys (services/tokens/idempotency.py)
    return {"deleted_reports": deleted, "requeued_reports": requeued, "expired_keys": keys}
