"""Smoke test: the same worker command on RabbitMQ (amqp://guest:guest@127.0.0.1:5672// unless
TEST_AMQP_URL says otherwise). A queue of its own, deleted afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import dispose, make_user, require
from tests.worker_helpers import app_like_worker, running_worker, worker_env

pytestmark = [pytest.mark.slow, pytest.mark.worker]
AMQP_URL = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 5672), timeout=2):
            return True
    except OSError:
        return False


def test_probe_task_through_rabbitmq(sqlite_template: Path, tmp_path: Path) -> None:
    require(reachable(AMQP_URL), f"RabbitMQ at {AMQP_URL}")
    database = tmp_path / "app.sqlite3"
    shutil.copyfile(sqlite_template, database)
    queue_name = f"timesheet-test-{uuid.uuid4().hex[:10]}"
    env = worker_env(
        f"sqlite:///{database}",
        tmp_path / "instance",
        broker_url=AMQP_URL,
        task_default_queue=queue_name,
    )
    app = app_like_worker(env, f"sqlite:///{database}", tmp_path / "instance")
    celery = app.extensions["celery"]
    try:
        user_id = make_user(app, email="rabbit@example.com")
        with running_worker(env, tmp_path / "worker.log"):
            answer = celery.send_task("probe.config_and_db", args=[user_id]).get(timeout=30)
        assert answer["email"] == "rabbit@example.com"
    finally:
        with celery.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue_name)
        dispose(app)
