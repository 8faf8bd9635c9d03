"""Overlapping runs of one export: only the run holding the report's claim writes.

The clean-up queues a report again when it looks stale; if the first message was only waiting in
a slow queue, two runs of the same export overlap. Without a claim the second one deleted the
first one's ``.part`` file and the report ended "failed" with a complete file on disk.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from extensions import db
from models import Report
from models.columns import utcnow
from services.reports import exports
from tests.conftest import make_user
from tests.timesheet_support import add_report
from tests.worker_helpers import seed_entries

OVERLAP_WAIT = 3.0  # seconds the first run waits for a second one to reach the same point


def row_of(app: Flask, report_id: int) -> dict[str, Any]:
    with app.app_context():
        report = db.session.get(Report, report_id)
        return {column.key: getattr(report, column.key) for column in Report.__table__.columns}


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def half_written_by_a_first_run(
    app: Flask, claim_age: timedelta, **fields: Any
) -> tuple[int, Path]:
    """A report a first run ("first:abc") claimed ``claim_age`` ago and left at 40 %, with that
    run's ``.part`` file in the reports folder: what a second run of the export finds. Returns
    the report id and the folder."""
    user_id = make_user(app)
    seed_entries(app, user_id)
    report_id = add_report(
        app,
        user_id,
        status="running",
        progress=40,
        claim_token="first:abc",
        claimed_at=utcnow() - claim_age,
        **fields,
    )
    folder = Path(app.instance_path) / "reports"
    folder.mkdir(parents=True)
    (folder / f"report-{report_id}-abc.csv.part").write_text("the first run's half file")
    return report_id, folder


def test_two_overlapping_runs_end_with_one_finished_report_and_its_file(
    any_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = any_app
    user_id = make_user(app)
    seed_entries(app, user_id)
    report_id = add_report(app, user_id, status="pending")
    both_writing = threading.Barrier(2)
    real_write_report = exports.write_report

    def write_report_when_both_run(*args: Any, **kwargs: Any) -> int:
        with suppress(threading.BrokenBarrierError):  # the other run (rightly) never got here
            both_writing.wait(OVERLAP_WAIT)
        return real_write_report(*args, **kwargs)

    monkeypatch.setattr(exports, "write_report", write_report_when_both_run)
    outcomes: list[str] = []

    def run(delivery_id: str) -> None:
        with app.app_context():
            try:
                outcomes.append(exports.run_export(report_id, delivery_id=delivery_id))
            except Exception as error:  # reported by the assertion below
                outcomes.append(f"raised {error!r}")

    runs = [threading.Thread(target=run, args=(name,)) for name in ("first", "requeued")]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(30)
    assert sorted(outcomes) == ["claimed by another run", "done: 3 rows"], outcomes
    report = row_of(app, report_id)
    assert (report["status"], report["progress"], report["rows_written"]) == ("done", 100, 3)
    assert report["error"] is None
    folder = Path(app.instance_path) / "reports"
    assert files_in(folder) == [exports.final_name(report_id)]
    complete = (folder / exports.final_name(report_id)).read_text().splitlines()
    assert complete[-1] == "total,,,,180,3.00,"


def test_a_run_that_finds_a_live_claim_changes_nothing(any_app: Flask) -> None:
    app = any_app
    report_id, folder = half_written_by_a_first_run(app, timedelta(minutes=5), rows_written=2)
    before = row_of(app, report_id)
    with app.app_context():
        assert exports.run_export(report_id, delivery_id="requeued") == "claimed by another run"
    assert row_of(app, report_id) == before
    assert files_in(folder) == [f"report-{report_id}-abc.csv.part"]


@pytest.mark.parametrize(
    ("delivery_id", "claim_age"),
    [
        pytest.param("requeued", timedelta(hours=3), id="stale claim (worker died)"),
        pytest.param("first", timedelta(minutes=1), id="redelivery of the same message"),
    ],
)
def test_a_dead_runs_claim_is_taken_over(
    any_app: Flask, delivery_id: str, claim_age: timedelta
) -> None:
    app = any_app
    report_id, folder = half_written_by_a_first_run(app, claim_age)
    with app.app_context():
        assert exports.run_export(report_id, delivery_id=delivery_id) == "done: 3 rows"
    report = row_of(app, report_id)
    assert report["status"] == "done" and report["claim_token"] != "first:abc"
    assert files_in(folder) == [exports.final_name(report_id)]


@pytest.mark.parametrize(
    "when",
    [
        pytest.param("while writing", id="seen by the next progress write"),
        pytest.param("after writing", id="seen by the final status write"),
    ],
)
def test_a_run_that_loses_its_claim_stops_and_leaves_the_new_claimant_alone(
    app: Flask, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """The clean-up judged the run stale and another run claimed the report while this one was
    writing: it finds the claim gone, stops, and removes only its own file."""
    user_id = make_user(app)
    seed_entries(app, user_id)
    report_id = add_report(app, user_id, status="pending")
    app.config.update(REPORT_PROGRESS_EVERY_ROWS=1, REPORT_PROGRESS_EVERY_SECONDS=0)
    folder = Path(app.instance_path) / "reports"
    real_write_report = exports.write_report

    def another_run_claims() -> None:
        with app.app_context():
            report = db.session.get(Report, report_id)
            report.claim_token, report.claimed_at = "other:def", utcnow()
            db.session.commit()
        (folder / f"report-{report_id}-def.csv.part").write_text("the new claimant's file")

    def write_report_and_lose_the_claim(*args: Any, **kwargs: Any) -> int:
        if when == "while writing":
            another_run_claims()
            return real_write_report(*args, **kwargs)
        rows = real_write_report(*args[:3])  # no progress writes
        another_run_claims()
        return rows

    monkeypatch.setattr(exports, "write_report", write_report_and_lose_the_claim)
    with app.app_context():
        assert exports.run_export(report_id, delivery_id="first") == "claimed by another run"
    report = row_of(app, report_id)
    assert (report["status"], report["claim_token"]) == ("running", "other:def")
    assert files_in(folder) == [f"report-{report_id}-def.csv.part"]
