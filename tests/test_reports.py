"""Report exports without a worker: the service called directly, routes with the queue replaced
(or pointed at a closed port), the clean-up."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from extensions import db
from models import Report
from services.reports import cleanup
from services.reports import exports as reports
from services.reports.csv_file import EntryRow, write_report
from tests.conftest import count_from_another_connection, dispose, login, make_app, make_user
from tests.timesheet_support import add_report
from tests.worker_helpers import seed_entries


def read_csv(text_: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text_)))


def test_csv_has_entries_then_totals_and_defuses_formulas() -> None:
    rows = [
        EntryRow(
            date(2024, 1, 2), datetime(2024, 1, 2, 8, 30, tzinfo=UTC), 30, "@SUM(A1)", "P", "T"
        ),
        EntryRow(date(2024, 1, 3), datetime(2024, 1, 3, 23, 0, tzinfo=UTC), 90, "", "Q", "-x"),
    ]
    out = io.StringIO()
    from zoneinfo import ZoneInfo

    assert write_report(out, iter(rows), ZoneInfo("Europe/Berlin")) == 2
    lines = read_csv(out.getvalue())
    # Start time in the user's zone (23:00 UTC is 00:00 in Berlin), formulas quoted.
    assert lines[1] == ["2024-01-02", "P", "T", "09:30", "30", "0.50", "'@SUM(A1)"]
    assert lines[2] == ["2024-01-03", "Q", "'-x", "00:00", "90", "1.50", ""]
    assert ["", "P", "", "", "30", "0.50", ""] in lines
    assert ["", "2024-01-03", "", "", "90", "1.50", ""] in lines
    assert lines[-1] == ["total", "", "", "", "120", "2.00", ""]


def test_export_writes_one_file_and_running_it_again_changes_nothing(any_app: Flask) -> None:
    app = any_app
    user_id = make_user(app)
    seed_entries(app, user_id)
    # A killed earlier attempt left its partial file and a "running" row behind.
    report_id = add_report(app, user_id, status="running", progress=40)
    folder = Path(app.instance_path) / "reports"
    folder.mkdir(parents=True)
    (folder / f"report-{report_id}-deadbeef.csv.part").write_text("half")
    with app.app_context():
        assert reports.run_export(report_id) == "done: 3 rows"
        first = (reports.reports_folder() / reports.final_name(report_id)).read_text()
        assert reports.run_export(report_id) == "already done"  # redelivery
        report = db.session.get(Report, report_id)
        assert (report.status, report.progress, report.rows_written) == ("done", 100, 3)
        assert report.finished_at is not None
    assert sorted(p.name for p in folder.iterdir()) == [f"report-{report_id}.csv"]
    lines = read_csv(first)
    assert len(lines) == 1 + 3 + 1 + 1 + 2 + 1 + 1 + 2 + 1 + 1
    assert lines[-1] == ["total", "", "", "", "180", "3.00", ""]


def test_a_failed_export_is_marked_failed_with_a_message_and_no_file(app: Flask) -> None:
    user_id = make_user(app)
    report_id = add_report(app, user_id)
    # The reports folder cannot be created: a file stands in its way.
    with open(app.instance_path + "/reports", "w") as blocker:
        blocker.write("not a folder")
    with app.app_context(), pytest.raises(OSError):
        reports.run_export(report_id)
    with app.app_context():
        report = db.session.get(Report, report_id)
        assert report.status == "failed"
        assert "export failed" in report.error
        assert report.file_name is None
        assert reports.run_export(report_id) == "failed earlier"
    client = app.test_client()
    login(client, app, user_id)
    page = client.get(f"/reports/{report_id}")
    assert b"The export failed" in page.data
    assert client.get(f"/reports/{report_id}/progress").get_json()["status"] == "failed"


def test_request_enqueues_only_after_the_row_is_committed(app: Flask, monkeypatch) -> None:
    seen: list[tuple[str, int, int]] = []

    def fake_enqueue(task_name: str, report_id: int) -> str:
        # A worker uses its own connection: the row must already be visible from one.
        count = count_from_another_connection(
            app, "SELECT count(*) FROM reports WHERE id = :i", i=report_id
        )
        seen.append((task_name, report_id, count))
        return "task-id"

    monkeypatch.setattr(reports, "enqueue", fake_enqueue)
    client = app.test_client()
    login(client, app, make_user(app))
    response = client.post("/reports/", data={"date_from": "2024-03-01", "date_to": "2024-03-31"})
    assert response.status_code == 302
    assert seen == [("reports.export", 1, 1)]
    assert isinstance(seen[0][1], int)  # an id, never an object


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"date_from": "2024-03-09", "date_to": "2024-03-01"}, b"on or after the start date"),
        ({"date_from": "2024-03-09"}, b"Choose the last day"),
        ({"date_from": "2010-01-01", "date_to": "2024-01-01"}, b"at most five years"),
        ({"date_from": "yesterday", "date_to": "2024-01-01"}, b"Not a valid date"),
    ],
)
def test_bad_ranges_get_a_form_error_and_store_nothing(app: Flask, form, message) -> None:
    client = app.test_client()
    login(client, app, make_user(app))
    response = client.post("/reports/", data=form)
    assert response.status_code == 400
    assert message in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_broker_unreachable_answers_503_quickly_and_leaves_no_report(
    sqlite_template, tmp_path
) -> None:
    import shutil

    database = tmp_path / "app.sqlite3"
    shutil.copyfile(sqlite_template, database)
    closed_port = "redis://127.0.0.1:1/0"
    app = make_app(
        f"sqlite:///{database}", tmp_path / "instance", CELERY=_celery_settings(closed_port)
    )
    client = app.test_client()
    login(client, app, make_user(app))
    started = time.monotonic()
    response = client.post("/reports/", data={"date_from": "2024-03-01", "date_to": "2024-03-08"})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert b"Exports are unavailable right now" in response.data
    # A bound on a hang, not a performance figure: the default retry policy would block far longer.
    assert elapsed < 15
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0
    dispose(app)


def _celery_settings(broker_url: str) -> dict:
    import copy

    from config import BaseConfig

    return {
        **copy.deepcopy(BaseConfig.CELERY),
        "broker_url": broker_url,
        "result_backend": broker_url,
    }


def test_reports_pages_need_a_login_and_hide_other_users_reports(app: Flask) -> None:
    owner = make_user(app, email="owner@example.com")
    report_id = add_report(app, owner)
    anonymous = app.test_client()
    assert anonymous.get("/reports/").status_code in (302, 401)
    client = app.test_client()
    login(client, app, make_user(app, email="other@example.com"))
    for url in (
        f"/reports/{report_id}",
        f"/reports/{report_id}/progress",
        f"/reports/{report_id}/download",
        "/reports/999/progress",
    ):
        with client.get(url) as response:
            assert response.status_code == 404, url
    login(client, app, owner)
    body = client.get(f"/reports/{report_id}/progress").get_json()
    assert body == {
        "id": report_id,
        "status": "pending",
        "status_text": "Waiting for the worker…",
        "progress": 0,
        "rows_written": 0,
        "error": None,
        "download_url": None,
    }
    assert client.get(f"/reports/{report_id}/download").status_code == 404  # not ready yet
    page = client.get("/reports/")
    assert b"2024-03-01" in page.data and b"Waiting for the worker" in page.data


@pytest.mark.parametrize(
    ("fields", "text_"),
    [
        ({"status": "pending"}, "Waiting for the worker…"),
        (
            {"status": "running", "progress": 40, "rows_written": 12},
            "Building… 40% (12 entries so far)",
        ),
        ({"status": "done", "progress": 100, "rows_written": 3}, "Ready: 3 entries."),
        ({"status": "failed", "error": "export failed"}, "Failed."),
    ],
)
def test_status_text_has_one_source_for_the_pages_and_the_polling_script(
    app: Flask, fields: dict, text_: str
) -> None:
    """The pages render the progress JSON's status_text, and the script that updates them shows
    that same field: no second wording in JavaScript that could drift from the first."""
    user_id = make_user(app)
    report_id = add_report(app, user_id, **fields)
    client = app.test_client()
    login(client, app, user_id)
    assert client.get(f"/reports/{report_id}/progress").get_json()["status_text"] == text_
    status_span = f'<span class="report-status" role="status" aria-live="polite">{text_}</span>'
    for url in ("/reports/", f"/reports/{report_id}"):
        page = client.get(url).get_data(as_text=True)
        assert status_span in page, url
        # The script is a static file (the Content-Security-Policy refuses inline scripts).
        source = re.search(r'<script src="([^"]*report-progress[^"]*)"', page)
        assert source is not None, url
        response = client.get(source.group(1))
        script = response.get_data(as_text=True)
        response.close()
        assert "textContent = s.status_text" in script
        assert not any(word in script for word in ("Waiting", "Building", "Ready", "Failed"))


def test_cleanup_deletes_old_reports_and_files_and_requeues_stale_ones(
    app: Flask, monkeypatch
) -> None:
    queued: list[tuple[str, int]] = []
    monkeypatch.setattr(cleanup, "enqueue", lambda name, rid: queued.append((name, rid)))
    user_id = make_user(app)
    now = datetime.now(UTC)
    old = add_report(app, user_id, status="done", file_name="x")
    stale = add_report(app, user_id, status="running")
    fresh = add_report(app, user_id, status="running")
    with app.app_context():
        db.session.get(Report, old).created_at = now - timedelta(days=8)
        db.session.get(Report, stale).updated_at = now - timedelta(hours=3)
        db.session.commit()
        folder = reports.reports_folder()
        folder.mkdir(parents=True)
        (folder / f"report-{old}.csv").write_text("old")
        (folder / f"report-{fresh}.csv").write_text("fresh")
        result = cleanup.run_cleanup(now)
        assert result == {"deleted_reports": 1, "requeued_reports": 1, "expired_keys": 0}
        assert db.session.get(Report, old) is None
        assert sorted(p.name for p in folder.iterdir()) == [f"report-{fresh}.csv"]
    assert queued == [("reports.export", stale)]


def test_the_export_form_starts_with_this_month_so_far(app) -> None:
    from datetime import date

    from services.timesheet.dates import local_today
    from tests.conftest import login, make_user

    user_id = make_user(app, email="range@example.com", timezone="Pacific/Auckland")
    client = app.test_client()
    login(client, app, user_id)
    today = local_today("Pacific/Auckland")
    page = client.get("/reports/").get_data(as_text=True)
    assert f'value="{date(today.year, today.month, 1).isoformat()}"' in page
    assert f'value="{today.isoformat()}"' in page
