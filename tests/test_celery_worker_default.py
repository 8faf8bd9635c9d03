"""A real worker on the zero-server default: kombu's SQLAlchemy transport and the database result
backend, both SQLite files in an instance folder that starts empty (a fresh clone), and the app
on a SQLite database. One worker (``--pool solo``) for the whole module."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import dispose, login, make_app, make_user
from tests.worker_helpers import (
    CELERY_BIN,
    Worker,
    export_through_the_app,
    running_process,
    running_worker,
    seed_entries,
    worker_env,
)

pytestmark = pytest.mark.worker
TASK_TIMEOUT = 30


@pytest.fixture(scope="module")
def stack(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    folder = tmp_path_factory.mktemp("default-worker")
    database = folder / "app.sqlite3"
    shutil.copyfile(sqlite_template, database)
    instance = folder / "instance"  # empty: the broker and result files are created on demand
    env = worker_env(f"sqlite:///{database}", instance)
    with running_worker(env, folder / "worker.log", pool="solo") as worker:
        app = make_app(f"sqlite:///{database}", instance)
        yield app, worker, env, folder
        dispose(app)


def call(app: Flask, name: str, *args: object) -> object:
    result = app.extensions["celery"].send_task(name, args=args)
    return result.get(timeout=TASK_TIMEOUT)


def test_zero_server_default_uses_sqlite_files_in_the_instance_folder(stack) -> None:
    app, _worker, _env, _folder = stack
    conf = app.extensions["celery"].conf
    broker_file = Path(app.instance_path) / "celery-broker.sqlite3"
    assert conf.broker_url == f"sqla+sqlite:///{broker_file}"
    assert conf.result_backend.startswith("db+sqlite:///" + app.instance_path)


def test_probe_task_reads_the_app_config_and_the_database(stack) -> None:
    app, _worker, _env, _folder = stack
    user_id = make_user(app, email="probe@example.com")
    answer = call(app, "probe.config_and_db", user_id)
    assert answer["testing"] is True
    assert answer["instance_path"] == app.instance_path
    assert answer["email"] == "probe@example.com"


def test_a_task_failing_mid_transaction_leaves_the_next_task_unharmed(stack) -> None:
    app, _worker, _env, _folder = stack
    result = app.extensions["celery"].send_task("probe.fail_mid_transaction", args=["half@x.org"])
    with pytest.raises(Exception, match="no_such_table"):
        result.get(timeout=TASK_TIMEOUT)
    # Same worker process, next task: the half-written row is gone and the database is usable.
    assert call(app, "probe.count_users", "half@x.org") == 0
    user_id = make_user(app, email="after-failure@example.com")
    assert call(app, "probe.config_and_db", user_id)["email"] == "after-failure@example.com"


def test_export_requested_through_the_app_finishes_with_a_correct_csv(stack) -> None:
    app, _worker, _env, _folder = stack
    user_id = make_user(app, email="export@example.com")
    seed_entries(app, user_id)
    client = app.test_client()
    login(client, app, user_id)
    report_url, body = export_through_the_app(client, "2024-03-01", "2024-03-08", TASK_TIMEOUT)
    assert body["status"] == "done", body
    assert body["progress"] == 100 and body["rows_written"] == 3
    with client.get(body["download_url"]) as download:
        assert download.status_code == 200
        assert download.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0] == ["date", "project", "task", "start", "minutes", "hours", "note"]
    assert rows[1:4] == [
        ["2024-03-04", "Alpha", "Design", "09:00", "90", "1.50", "kick-off"],
        ["2024-03-04", "Alpha", "Build", "13:00", "60", "1.00", "'+1 formula?"],
        ["2024-03-05", "'=Beta", "Ops", "08:00", "30", "0.50", ""],
    ]
    assert ["", "Alpha", "", "", "150", "2.50", ""] in rows
    assert ["", "'=Beta", "", "", "30", "0.50", ""] in rows
    assert ["", "2024-03-04", "", "", "150", "2.50", ""] in rows
    assert ["", "2024-03-05", "", "", "30", "0.50", ""] in rows
    assert rows[-1] == ["total", "", "", "", "180", "3.00", ""]
    # Another user gets a 404 for the page, the progress and the file.
    other = app.test_client()
    login(other, app, make_user(app, email="nosy@example.com"))
    for url in (report_url, report_url + "/progress", body["download_url"]):
        with other.get(url) as denied:
            assert denied.status_code == 404


def test_celery_beat_starts(stack) -> None:
    _app, _worker, env, folder = stack
    args = [CELERY_BIN, "-A", "celery_worker", "beat", "--loglevel", "INFO"]
    with running_process(args, env, folder / "beat.log", "beat: Starting") as beat:
        assert isinstance(beat, Worker)
    assert "Scheduler" in (folder / "beat.log").read_text()


def test_a_plain_worker_command_logs_its_tasks_and_ready_line(stack) -> None:
    """`celery -A celery_worker worker` with no --loglevel: Celery's own default (WARNING) would
    print neither the task list nor "ready", and a newcomer could not tell it is working."""
    _app, _worker, env, folder = stack
    args = [
        CELERY_BIN,
        "-A",
        "celery_worker",
        "worker",
        "--pool",
        "solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        "plain@%h",
    ]
    with running_process(args, env, folder / "plain-worker.log", " ready."):
        pass
    log = (folder / "plain-worker.log").read_text()
    assert "[tasks]" in log
    assert ". reports.export" in log
