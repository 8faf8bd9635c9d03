"""A real worker: the request id travels with the tasks a request queues and is in the worker's
log; each mail is logged once; a started worker makes /readyz ready (its start-up heartbeat)."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from tests.conftest import dispose, make_user
from tests.worker_helpers import (
    app_like_worker,
    delete_prefixed_keys,
    redis_settings,
    redis_url,  # noqa: F401  (fixture)
    running_worker,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.worker, pytest.mark.redis]


def test_request_id_follows_the_reset_mail_into_the_worker_log(
    sqlite_template: Path,
    tmp_path: Path,
    redis_url: str,  # noqa: F811  (a fixture imported from worker_helpers)
) -> None:
    database = tmp_path / "app.sqlite3"
    shutil.copyfile(sqlite_template, database)
    url = f"sqlite:///{database}"
    prefix = f"reqid-{uuid.uuid4().hex[:8]}:"
    env = worker_env(url, tmp_path / "instance", **redis_settings(redis_url, prefix))
    env["FLASK_LOG_LEVEL"] = "INFO"  # the worker's mail log lines are INFO
    app = app_like_worker(env, url, tmp_path / "instance")
    app.config["MAIL_DELIVERY"] = "worker"
    make_user(app)
    try:
        with running_worker(env, tmp_path / "worker.log") as worker:
            client = app.test_client()
            ready = client.get("/readyz")
            assert ready.status_code == 200, ready.get_json()
            response = client.post(
                "/auth/reset",
                data={"email": "ada@example.com"},
                headers={"X-Request-ID": "reset-req-42"},
            )
            assert response.status_code == 302
            wait_for(lambda: "Mail not sent" in worker.log(), 30, "the reset mail in the log")
            log = worker.log()
            assert log.count("Mail not sent") == 1, log
            [mail_line] = [line for line in log.splitlines() if "Mail not sent" in line]
            assert "[reset-req-42]" in mail_line
            started = [line for line in log.splitlines() if "accounts.password_reset[" in line]
            assert any("[reset-req-42]" in line and "started" in line for line in started), log
    finally:
        dispose(app)
        delete_prefixed_keys(redis_url, prefix)
