"""A real prefork worker (``--pool prefork -c 2``) on Redis (broker and results) with the app on
PostgreSQL, as in production. One worker for the module; Redis keys carry a per-run prefix and
are deleted afterwards, so the tests share no state with anything else using that Redis."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import dispose, login, make_user, truncate_all
from tests.worker_helpers import (  # noqa: F401  (redis_url is a fixture)
    WARM_POOL_VAR,
    app_like_worker,
    delete_prefixed_keys,
    export_through_the_app,
    redis_settings,
    redis_url,
    running_worker,
    seed_entries,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]
TASK_TIMEOUT = 30


@pytest.fixture(scope="module")
def stack(
    redis_url: str,  # noqa: F811  (a fixture imported from worker_helpers)
    pg_database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Flask, Path]]:
    folder = tmp_path_factory.mktemp("redis-worker")
    prefix = f"timesheet-test-{uuid.uuid4().hex[:10]}:"
    env = worker_env(pg_database_url, folder / "instance", **redis_settings(redis_url, prefix))
    env[WARM_POOL_VAR] = "1"  # the parent holds a pooled connection when the children fork
    app = app_like_worker(env, pg_database_url, folder / "instance")
    try:
        with running_worker(env, folder / "worker.log", pool="prefork", concurrency=2) as worker:
            yield app, worker.log_path
    finally:
        truncate_all(app)
        dispose(app)
        delete_prefixed_keys(redis_url, prefix)


def test_probe_on_prefork_reads_config_and_database(stack) -> None:
    app, _log = stack
    user_id = make_user(app, email="redis-probe@example.com")
    celery = app.extensions["celery"]
    assert celery.conf.broker_url.startswith("redis://")
    answers = [celery.send_task("probe.config_and_db", args=[user_id]) for _ in range(4)]
    for result in answers:
        body = result.get(timeout=TASK_TIMEOUT)
        assert body["testing"] is True and body["email"] == "redis-probe@example.com"
        assert body["database"].startswith("postgresql+psycopg://")


def test_failing_mid_transaction_then_next_tasks_work_on_postgres(stack) -> None:
    app, _log = stack
    celery = app.extensions["celery"]
    failed = [
        celery.send_task("probe.fail_mid_transaction", args=["pg-half@x.org"]) for _ in range(2)
    ]
    for result in failed:
        with pytest.raises(Exception, match="no_such_table"):
            result.get(timeout=TASK_TIMEOUT)
    # Both pool processes ran a failed transaction; the aborted transaction is not reused.
    checks = [celery.send_task("probe.count_users", args=["pg-half@x.org"]) for _ in range(4)]
    assert [r.get(timeout=TASK_TIMEOUT) for r in checks] == [0, 0, 0, 0]


def test_200_database_tasks_on_prefork_give_no_connection_error(stack) -> None:
    app, log_path = stack
    user_id = make_user(app, email="many@example.com")
    celery = app.extensions["celery"]
    results = [celery.send_task("probe.config_and_db", args=[user_id]) for _ in range(200)]
    bodies = [result.get(timeout=TASK_TIMEOUT) for result in results]
    assert all(body["email"] == "many@example.com" for body in bodies)
    assert len({body["pid"] for body in bodies}) == 2  # both pool processes took part
    log = log_path.read_text()
    for sign in ("OperationalError", "SSL error", "server closed the connection", "InterfaceError"):
        assert sign not in log


def test_export_through_the_app_on_redis_and_postgres(stack) -> None:
    app, _log = stack
    user_id = make_user(app, email="redis-export@example.com")
    seed_entries(app, user_id)
    client = app.test_client()
    login(client, app, user_id)
    _report_url, body = export_through_the_app(client, "2024-03-01", "2024-03-31", TASK_TIMEOUT)
    assert body["status"] == "done" and body["rows_written"] == 4
    with client.get(body["download_url"]) as download:
        rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[-1] == ["total", "", "", "", "225", "3.75", ""]


def test_the_unconfirmed_account_clean_up_runs_on_the_worker(stack) -> None:
    """The task beat queues hourly, taken by the real worker: the stale sign-up goes, the young
    one stays (the rules themselves: tests/test_accounts_cleanup.py)."""
    from datetime import timedelta

    from sqlalchemy import select

    from extensions import db
    from models import User
    from models.columns import utcnow
    from services.accounts.cleanup import CLEANUP_UNCONFIRMED_TASK

    app, _log = stack
    long_ago = utcnow() - timedelta(days=30)
    make_user(app, email="stale-worker@example.com", created_at=long_ago, email_confirmed_at=None)
    make_user(app, email="young-worker@example.com", email_confirmed_at=None)
    app.extensions["celery"].send_task(CLEANUP_UNCONFIRMED_TASK)

    def remaining() -> set[str] | None:
        with app.app_context():
            emails = set(
                db.session.scalars(select(User.email).where(User.email.like("%-worker@%")))
            )
            db.session.remove()
        return emails if "stale-worker@example.com" not in emails else None

    assert wait_for(remaining, TASK_TIMEOUT, "the clean-up task") == {"young-worker@example.com"}
