"""Starting a real ``celery -A celery_worker worker`` for a test, and the probe tasks it runs.

``running_worker`` starts the exact command as a subprocess (its own process group) with the
test's environment, waits (bounded) until the worker logs "ready", and always stops it. The
worker also imports this module (``FLASK_CELERY__imports``), which registers the probe tasks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import redis
from celery import shared_task
from celery.signals import worker_init
from flask import Flask
from sqlalchemy import select, text

from extensions import db
from tests.process_support import stop_group

ROOT = Path(__file__).resolve().parent.parent
CELERY_BIN = str(Path(sys.executable).with_name("celery"))
READY_TIMEOUT = 40.0
STOP_TIMEOUT = 10.0
PROBE_MODULE = "tests.worker_helpers"
WARM_POOL_VAR = "TIMESHEET_TEST_WARM_POOL"


def worker_env(database_url: str, instance_path: Path, **celery: object) -> dict[str, str]:
    """The environment of a worker started for a test: our variables only, none inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TIMESHEET_"))}
    env.update(
        {
            "TIMESHEET_ENV": "testing",
            "TIMESHEET_INSTANCE_PATH": str(instance_path),
            "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
            "FLASK_CELERY__imports": json.dumps([PROBE_MODULE]),
            "PYTHONUNBUFFERED": "1",
        }
    )
    for key, value in celery.items():
        env[f"FLASK_CELERY__{key}"] = value if isinstance(value, str) else json.dumps(value)
    return env


def celery_overrides(env: dict[str, str]) -> dict[str, object]:
    """The same CELERY settings for an in-test app, so it publishes where the worker listens."""
    settings: dict[str, object] = {}
    for key, value in env.items():
        if key.startswith("FLASK_CELERY__"):
            name = key.removeprefix("FLASK_CELERY__")
            try:
                settings[name] = json.loads(value)
            except ValueError:
                settings[name] = value
    return settings


def app_like_worker(env: dict[str, str], database_url: str, instance_path: Path) -> Flask:
    """An in-test app with the worker's CELERY settings: it publishes where the worker listens."""
    import copy

    from config import BaseConfig
    from tests.conftest import make_app

    settings = {**copy.deepcopy(BaseConfig.CELERY), **celery_overrides(env)}
    return make_app(database_url, instance_path, CELERY=settings)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """TEST_REDIS_URL, checked with a ping (a skip on a laptop, a failure in CI)."""
    from tests.conftest import require

    url = os.environ.get("TEST_REDIS_URL", "")
    require(bool(url), "Redis (TEST_REDIS_URL)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require(False, f"Redis at {url} ({exc.__class__.__name__})")
    yield url


def redis_settings(url: str, prefix: str, **transport: object) -> dict[str, object]:
    return {
        "broker_url": url,
        "result_backend": url,
        "broker_transport_options": {
            "visibility_timeout": 3600,
            "global_keyprefix": prefix,
            **transport,
        },
        "result_backend_transport_options": {"global_keyprefix": prefix},
    }


def delete_prefixed_keys(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def export_through_the_app(
    client, date_from: str, date_to: str, timeout: float
) -> tuple[str, dict]:
    """Ask for an export as the page does, then poll its progress URL until it is done or failed.
    Returns the report's page URL and the last progress body."""
    response = client.post("/reports/", data={"date_from": date_from, "date_to": date_to})
    assert response.status_code == 302, response.status_code
    progress_url = response.headers["Location"] + "/progress"

    def finished() -> dict | None:
        body = client.get(progress_url).get_json()
        return body if body["status"] in ("done", "failed") else None

    return response.headers["Location"], wait_for(finished, timeout, "the export to finish", 0.2)


@contextmanager
def running_process(
    args: list[str],
    env: dict[str, str],
    log_path: Path,
    ready_text: str,
    timeout: float = READY_TIMEOUT,
) -> Iterator[Worker]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(process, log_path)
    try:

        def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"{args[2:4]} exited early:\n{worker.log()[-4000:]}")
            return ready_text in worker.log()

        wait_for(ready, timeout, f"{' '.join(args[:4])} to start (log: {log_path})", 0.2)
        yield worker
    finally:
        stop_group(process, STOP_TIMEOUT)


@contextmanager
def running_worker(
    env: dict[str, str], log_path: Path, pool: str = "solo", concurrency: int = 2
) -> Iterator[Worker]:
    """``celery -A celery_worker worker`` with ``--pool solo`` or ``--pool prefork -c N``."""
    args = [
        CELERY_BIN,
        "-A",
        "celery_worker",
        "worker",
        "--pool",
        pool,
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"test-{uuid.uuid4().hex[:8]}@%h",
    ]
    if pool == "prefork":
        args += ["--concurrency", str(concurrency)]
    with running_process(args, env, log_path, " ready.") as worker:
        yield worker


# --- Data -------------------------------------------------------------------------------------


def seed_entries(app: Flask, user_id: int) -> None:
    """Two projects, three tasks, three entries from 2024-03-04 to 03-05 and one on 03-09."""
    from models import Project, Task, TimeEntry
    from tests.team_support import personal_team_id

    with app.app_context():
        alpha = Project(team_id=personal_team_id(user_id), name="Alpha")
        beta = Project(team_id=personal_team_id(user_id), name="=Beta")
        design, build, ops = Task(name="Design"), Task(name="Build"), Task(name="Ops")
        alpha.tasks.extend([design, build])
        beta.tasks.append(ops)
        db.session.add_all([alpha, beta])
        db.session.flush()
        rows = [
            (design, date(2024, 3, 4), 9, 90, "kick-off"),
            (build, date(2024, 3, 4), 13, 60, "+1 formula?"),
            (ops, date(2024, 3, 5), 8, 30, ""),
            (design, date(2024, 3, 9), 8, 45, "out of range"),
        ]
        for task, day, hour, minutes, note in rows:
            db.session.add(
                TimeEntry(
                    user_id=user_id,
                    task_id=task.id,
                    spent_on=day,
                    started_at=datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
                    minutes=minutes,
                    note=note,
                )
            )
        db.session.commit()


# --- Fault set-up inside the worker -------------------------------------------------------------


@worker_init.connect(weak=False, dispatch_uid="tests.warm_pool_before_fork")
def warm_pool_before_fork(sender: object = None, **_kwargs: object) -> None:
    """With WARM_POOL_VAR=1, the worker's main process opens a database connection and leaves it
    in the pool before the pool processes fork (as a start-up check would): without the
    dispose-after-fork in extensions.py, both children then talk over that one socket."""
    if os.environ.get(WARM_POOL_VAR) != "1":
        return
    flask_app = sender.app.flask_app  # type: ignore[attr-defined]
    with flask_app.app_context():
        db.session.execute(text("SELECT 1"))


# --- Probe tasks (registered in the worker through FLASK_CELERY__imports) -------------------------


@shared_task(name="probe.config_and_db")
def probe_config_and_db(user_id: int) -> dict[str, object]:
    """What the worker's app context sees: its config, and a row of the test's database."""
    from flask import current_app

    from models import User

    email = db.session.scalar(select(User.email).where(User.id == user_id))
    return {
        "testing": current_app.config["TESTING"],
        "instance_path": current_app.instance_path,
        "database": db.engine.url.render_as_string(hide_password=True),
        "email": email,
        "pid": os.getpid(),
    }


@shared_task(name="probe.fail_mid_transaction")
def probe_fail_mid_transaction(email: str) -> None:
    """Writes a row, then fails before committing: the row must vanish, the worker carry on."""
    from models import User

    db.session.add(User(email=email, name="Half", password_hash="x"))
    db.session.flush()
    db.session.execute(text("SELECT * FROM no_such_table"))


@shared_task(name="probe.count_users")
def probe_count_users(email: str) -> int:
    from sqlalchemy import func

    from models import User

    return int(db.session.scalar(select(func.count()).where(User.email == email)) or 0)
