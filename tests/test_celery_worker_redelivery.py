"""A worker SIGKILLed in the middle of an export: after a new worker starts, exactly one report
is finished, with one complete file. Redis redelivers the unacknowledged message (late ack) once
its visibility timeout has passed; the export task is idempotent.

"In the middle" is made certain, not timed: once the export has reported progress, the test takes
a row lock on the report, so the worker's next progress write waits; the test then kills it."""

from __future__ import annotations

import csv
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, select, text

from extensions import db
from models import Project, Report, Task, TimeEntry
from tests.conftest import dispose, make_user, truncate_all
from tests.team_support import personal_team_id
from tests.worker_helpers import (  # noqa: F401  (redis_url is a fixture)
    app_like_worker,
    delete_prefixed_keys,
    redis_settings,
    redis_url,
    running_worker,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]
ENTRIES = 30_000
VISIBILITY = 3


def seed_many(app, user_id: int) -> None:
    with app.app_context():
        project = Project(team_id=personal_team_id(user_id), name="Bulk")
        task = Task(name="Work")
        project.tasks.append(task)
        db.session.add(project)
        db.session.commit()
        start = datetime(2024, 1, 1, 8, tzinfo=UTC)
        rows = [
            {
                "user_id": user_id,
                "task_id": task.id,
                "spent_on": date(2024, 1, 1) + timedelta(i % 300),
                "started_at": start + timedelta(days=i % 300, minutes=i // 300),
                "minutes": 15,
                "note": f"n{i}",
            }
            for i in range(ENTRIES)
        ]
        db.session.execute(insert(TimeEntry), rows)
        db.session.commit()


def test_sigkill_during_export_then_new_worker_gives_exactly_one_finished_report(
    redis_url: str,  # noqa: F811  (a fixture imported from worker_helpers)
    pg_database_url: str,
    tmp_path: Path,
) -> None:
    prefix = f"timesheet-test-{uuid.uuid4().hex[:10]}:"
    instance = tmp_path / "instance"
    settings = redis_settings(
        redis_url,
        prefix,
        visibility_timeout=VISIBILITY,
        unacked_restore_interval=1,
        unacked_restore_throttle=1,
    )
    # The start-up check wants visibility_timeout above task_time_limit (solo pool does not
    # enforce time limits; the blocked export is killed long before anyway).
    env = worker_env(
        pg_database_url, instance, task_time_limit=2, task_soft_time_limit=1, **settings
    )
    env["FLASK_REPORT_PROGRESS_EVERY_ROWS"] = "100"
    env["FLASK_REPORT_PROGRESS_EVERY_SECONDS"] = "0"
    app = app_like_worker(env, pg_database_url, instance)
    locker = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        user_id = make_user(app, email="killed@example.com")
        seed_many(app, user_id)
        with app.app_context():
            from services.reports.exports import request_export

            report_id = request_export(user_id, date(2024, 1, 1), date(2024, 12, 31)).id

        def progress() -> int:
            with locker.connect() as conn:
                return conn.execute(
                    text("SELECT progress FROM reports WHERE id = :i"), {"i": report_id}
                ).scalar_one()

        with running_worker(env, tmp_path / "worker1.log") as first:
            wait_for(lambda: progress() > 0, 30, "the export to report progress", 0.01)
            lock = locker.connect()
            lock.execute(text("SELECT id FROM reports WHERE id = :i FOR UPDATE"), {"i": report_id})
            # The worker is now stuck in its next progress write, mid-file.
            parts = list((instance / "reports").glob(f"report-{report_id}-*.csv.part"))
            assert len(parts) == 1
            first.kill()
            lock.rollback()
            lock.close()
        with app.app_context():
            killed = db.session.get(Report, report_id)
            assert killed.status == "running" and killed.progress < 100
        with running_worker(env, tmp_path / "worker2.log"):

            def finished() -> str | None:
                with locker.connect() as conn:
                    status = conn.execute(
                        text("SELECT status FROM reports WHERE id = :i"), {"i": report_id}
                    ).scalar_one()
                return status if status in ("done", "failed") else None

            assert wait_for(finished, 45, "the redelivered export to finish", 0.2) == "done"
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Report)) == 1
            report = db.session.get(Report, report_id)
            assert report.rows_written == ENTRIES and report.progress == 100
        files = sorted(p.name for p in (instance / "reports").iterdir())
        assert files == [f"report-{report_id}.csv"]
        with (instance / "reports" / files[0]).open(newline="") as handle:
            lines = list(csv.reader(handle))
        assert lines[-1] == ["total", "", "", "", str(15 * ENTRIES), f"{15 * ENTRIES / 60:.2f}", ""]
    finally:
        locker.dispose()
        truncate_all(app)
        dispose(app)
        delete_prefixed_keys(redis_url, prefix)
