"""The Celery wiring, without a worker: settings, one instance per app, task registration."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from flask import Flask

from config import ConfigError
from tests.conftest import ROOT, dispose, make_app

TASK_NAMES = ("reports.export", "cleanup.expired", "mail.deliver")


# The names are checked when the Celery instance is built (at a worker's start, at a web
# process's first task; see app.py:register_celery), so that a web process need not load Celery.
def test_an_unknown_celery_setting_is_an_error_naming_it(tmp_path) -> None:
    app = make_app("sqlite://", tmp_path, CELERY={"task_acks_lately": True})
    with pytest.raises(ConfigError, match="'task_acks_lately'"):
        app.extensions["celery"]
    dispose(app)


def test_an_unknown_celery_setting_from_the_environment_is_an_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FLASK_CELERY__brokr_url", "redis://127.0.0.1:6379/0")
    app = make_app("sqlite://", tmp_path)
    with pytest.raises(ConfigError, match="'brokr_url'"):
        app.extensions["celery"]
    dispose(app)


def test_a_worker_with_an_unknown_celery_setting_refuses_to_start(tmp_path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "TIMESHEET_ENV": "testing",
        "TIMESHEET_INSTANCE_PATH": str(tmp_path),
        "FLASK_CELERY__task_acks_lately": "true",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import celery_worker"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "'task_acks_lately'" in done.stderr


def test_the_environment_overrides_a_celery_setting(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FLASK_CELERY__broker_url", "redis://127.0.0.1:6379/7")
    monkeypatch.setenv("FLASK_CELERY__broker_transport_options__visibility_timeout", "7200")
    app = make_app("sqlite://", tmp_path)
    conf = app.extensions["celery"].conf
    assert conf.broker_url == "redis://127.0.0.1:6379/7"
    assert conf.broker_transport_options["visibility_timeout"] == 7200
    dispose(app)
    # from_prefixed_env wrote into the app's copy, not into the config class's nested dict.
    from config import BaseConfig

    assert BaseConfig.CELERY["broker_transport_options"] == {"visibility_timeout": 3600}


def test_visibility_timeout_must_be_above_the_task_time_limit(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FLASK_CELERY__broker_url", "redis://127.0.0.1:6379/7")
    monkeypatch.setenv("FLASK_CELERY__broker_transport_options__visibility_timeout", "600")
    with pytest.raises(ConfigError, match="visibility_timeout"):
        make_app("sqlite://", tmp_path)


def test_json_only_late_ack_and_bounded_publish(app: Flask) -> None:
    conf = app.extensions["celery"].conf
    assert conf.task_serializer == conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.task_publish_retry_policy["max_retries"] <= 3
    assert conf.broker_connection_timeout <= 5


def test_zero_server_transport_options_are_ones_the_sqlalchemy_transport_accepts(app) -> None:
    """kombu's SQLAlchemy transport passes its options to create_engine(): a Redis option such
    as visibility_timeout there makes every publish fail with a TypeError."""
    conf = app.extensions["celery"].conf
    assert conf.broker_url.startswith("sqla+sqlite:///")
    assert "visibility_timeout" not in conf.broker_transport_options
    assert conf.beat_schedule_filename.startswith(app.instance_path)


def test_each_app_gets_its_own_celery_instance_running_tasks_with_its_config(tmp_path) -> None:
    from celery import shared_task
    from flask import current_app

    @shared_task(name="tests.which_app")
    def which_app() -> str:
        return current_app.config["MARKER"]

    first = make_app("sqlite://", tmp_path / "one", MARKER="first")
    second = make_app("sqlite://", tmp_path / "two", MARKER="second")
    one, two = first.extensions["celery"], second.extensions["celery"]
    assert one is not two
    assert one.conf.broker_url != two.conf.broker_url
    assert one.tasks["tests.which_app"].apply().get() == "first"
    assert two.tasks["tests.which_app"].apply().get() == "second"
    assert one.tasks["tests.which_app"].apply().get() == "first"
    dispose(first)
    dispose(second)


def test_importing_celery_worker_alone_registers_every_task(tmp_path) -> None:
    # celery_worker exposes Celery, not the Flask app, for `celery -A celery_worker`.
    script = (
        "import json, celery, celery_worker; print(json.dumps({"
        "'tasks': sorted(celery_worker.celery.tasks.keys()), "
        "'is_celery': isinstance(celery_worker.celery, celery.Celery)}))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "TIMESHEET_ENV": "testing",
        "TIMESHEET_INSTANCE_PATH": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(TASK_NAMES) <= set(found["tasks"])
    assert found["is_celery"] is True


def test_every_registered_task_acknowledges_late(app: Flask) -> None:
    """A task's own options win over the config: each task of ours must itself ack late, so a
    worker that dies mid-task leaves the message to be delivered again (the tasks are
    idempotent). The export, which writes a file and the report's status, also gives the message
    back when the worker is lost."""
    from services.accounts.cleanup import CLEANUP_UNCONFIRMED_TASK
    from services.accounts.users import RESET_TASK, SIGN_UP_TASK
    from services.platform.heartbeat import HEARTBEAT_TASK
    from services.platform.mail import DELIVER_TASK
    from services.reports.exports import CLEANUP_TASK, EXPORT_TASK

    tasks = app.extensions["celery"].tasks
    # The app's own tasks (test modules add probe tasks to every app through @shared_task).
    ours = [name for name, task in tasks.items() if task.__module__.startswith("tasks.")]
    assert sorted(ours) == sorted(
        [
            CLEANUP_TASK,
            CLEANUP_UNCONFIRMED_TASK,
            DELIVER_TASK,
            EXPORT_TASK,
            RESET_TASK,
            SIGN_UP_TASK,
            HEARTBEAT_TASK,
        ]
    )
    for name in ours:
        assert tasks[name].acks_late, name
    assert tasks[EXPORT_TASK].reject_on_worker_lost
