"""Load and fault tests against the production set-up: gunicorn (gunicorn.conf.py, production
config) on a PostgreSQL and a Redis of the test's own (tests/fault_support.py), a real Celery
worker with its embedded beat, signed-in clients behind a (simulated) TLS proxy.

(a) mixed reads and writes from 32 clients: no 5xx, every acknowledged write stored exactly once;
(d) a worker that stops answering: /readyz names it, and is ready again once it answers;
(c) Redis (the broker) stopped: /readyz names the broker, an export gets a clear 503, pages keep
    working; Redis back: everything works again, no restart;
(b) PostgreSQL restarted under load: 503 pages only during the outage, never a 500; no restart.

Bounded: the load runs TIMESHEET_LOAD_SECONDS (20 by default); every wait has a limit.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import dispose, make_app, make_user
from tests.fault_support import PrivatePostgres, PrivateRedis, private_postgres, private_redis
from tests.load_client import Answer, SignedInClient
from tests.server_support import base_env, flask_db_upgrade, get, running_gunicorn
from tests.worker_helpers import Worker, running_process, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.worker]

CLIENTS = 32
LOAD_SECONDS = float(os.environ.get("TIMESHEET_LOAD_SECONDS") or 20)
HEARTBEAT_MAX_AGE = 3
PASSWORD = "load test password"
READS = ("/week", "/entries/", "/projects/", "/reports/")
DB_DOWN_TEXT = b"database cannot be reached"
QUEUE_DOWN_TEXT = b"Exports are unavailable right now"
# After PostgreSQL is back, requests already waiting may still fail for this long.
RECOVERY_GRACE = 3.0


@dataclass
class Stack:
    url: str
    host: str
    port: int
    postgres: PrivatePostgres
    redis: PrivateRedis
    worker: Worker
    database_url: str
    users: list[tuple[str, int]]  # (email, task id)
    clients: list[SignedInClient]

    def readyz(self) -> tuple[int, dict]:
        status, _headers, body = get(self.url + "/readyz", timeout=10)
        return status, json.loads(body)


def seed_users(database_url: str, folder: Path) -> list[tuple[str, int]]:
    """Users made in the database directly (sign-ups from one address would meet rate limits)."""
    from extensions import db
    from models import Project, Task
    from tests.team_support import personal_team_id

    app = make_app(database_url, folder)
    users = []
    for n in range(CLIENTS):
        email = f"load{n}@example.com"
        user_id = make_user(app, email=email, name=f"Load {n}", password=PASSWORD)
        with app.app_context():
            project = Project(team_id=personal_team_id(user_id), name="Load")
            task = Task(name="Work")
            project.tasks.append(task)
            db.session.add(project)
            db.session.commit()
            users.append((email, task.id))
    dispose(app)
    return users


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("load")
    with private_postgres() as postgres, private_redis() as redis_server:
        admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE timesheet"))
        admin.dispose()
        database_url = postgres.url("timesheet")
        env = base_env(
            TIMESHEET_ENV="production",
            TIMESHEET_INSTANCE_PATH=str(folder / "instance"),
            FLASK_SECRET_KEY="load-test-" + "k" * 40,
            FLASK_SQLALCHEMY_DATABASE_URI=database_url,
            FLASK_TRUSTED_HOSTS='["127.0.0.1"]',
            FLASK_MAIL_BACKEND="log",
            FLASK_CELERY__broker_url=f"{redis_server.url}/0",
            FLASK_CELERY__result_backend=f"{redis_server.url}/1",
            FLASK_CELERY__beat_schedule=json.dumps(
                {"worker-heartbeat": {"task": "platform.heartbeat", "schedule": 1.0}}
            ),
            FLASK_PROXY_FIX_X_FOR="1",
            FLASK_PROXY_FIX_X_PROTO="1",
            FLASK_WORKER_HEARTBEAT_MAX_AGE=str(HEARTBEAT_MAX_AGE),
            # Rate-limit counts in the private Redis (production refuses memory://); 32 clients
            # log in from one address, so that limit is raised, as a load test would raise it.
            FLASK_RATELIMIT_STORAGE_URI=f"{redis_server.url}/2",
            FLASK_RATELIMIT_LOGIN_PER_ADDRESS="1000 per minute",
        )
        flask_db_upgrade(env)
        users = seed_users(database_url, folder / "seed")
        worker_args = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "celery_worker",
            "worker",
            "-B",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--schedule",
            str(folder / "beat-schedule"),
        ]
        with (
            running_process(worker_args, env, folder / "worker.log", " ready.") as worker,
            running_gunicorn(
                env, folder / "gunicorn.log", WEB_CONCURRENCY="2", GUNICORN_THREADS="8"
            ) as server,
        ):
            host, port = server.url.removeprefix("http://").split(":")
            clients = []
            for n, (email, _task) in enumerate(users):
                client = SignedInClient(host, int(port), address=f"10.0.{n // 250}.{n % 250 + 1}")
                client.log_in(email, PASSWORD)
                clients.append(client)
            stack = Stack(
                server.url, host, int(port), postgres, redis_server, worker, database_url,
                users, clients,
            )  # fmt: skip
            try:
                yield stack
            finally:
                for client in clients:
                    client.close()


def run_load(
    stack: Stack, clients: list[SignedInClient], seconds: float, tag: str
) -> tuple[list[Answer], list[str]]:
    """Each client in its own thread: 30 % writes (a new entry with a unique note), 70 % reads.
    Returns every answer and the notes of the acknowledged (302) writes."""
    deadline = time.monotonic() + seconds
    acked: list[str] = []
    answers: list[Answer] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work(index: int, client: SignedInClient) -> None:
        rng = random.Random(index)
        task_id = stack.users[stack.clients.index(client)][1]
        token: str | None = None
        mine: list[Answer] = []
        written: list[str] = []
        n = 0
        try:
            while time.monotonic() < deadline:
                if rng.random() < 0.3:
                    if token is None:
                        page = client.request("GET", "/entries/new")
                        mine.append(page)
                        token = client.csrf_token("/entries/new") if page.status == 200 else None
                        if token is None:
                            time.sleep(0.2)
                            continue
                    n += 1
                    note = f"{tag}-{index}-{n}"
                    answer = client.request(
                        "POST",
                        "/entries/new",
                        {
                            "csrf_token": token,
                            "task_id": str(task_id),
                            "day": date(2024, 1, 1 + n % 28).isoformat(),
                            "start": "09:00",
                            "duration": "1",
                            "note": note,
                        },
                    )
                    mine.append(answer)
                    if answer.status == 302:
                        written.append(note)
                else:
                    mine.append(client.request("GET", rng.choice(READS)))
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        with lock:
            answers.extend(mine)
            acked.extend(written)

    threads = [
        threading.Thread(target=work, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    assert not any(t.is_alive() for t in threads), "a load client hung"
    assert not errors, errors[:3]
    return answers, acked


def stored_notes(stack: Stack, tag: str) -> dict[str, int]:
    engine = create_engine(stack.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT note, count(*) FROM time_entries WHERE note LIKE :p GROUP BY note"),
            {"p": f"{tag}-%"},
        ).all()
    engine.dispose()
    return {note: count for note, count in rows}


def assert_stored_exactly_once(stack: Stack, tag: str, acked: list[str]) -> None:
    stored = stored_notes(stack, tag)
    missing = [note for note in acked if note not in stored]
    doubled = {note: count for note, count in stored.items() if count != 1}
    assert not missing, f"{len(missing)} acknowledged writes are not stored: {missing[:5]}"
    assert not doubled, f"stored more than once: {list(doubled.items())[:5]}"


def test_a_32_client_load_loses_no_write_and_sees_no_5xx(stack: Stack) -> None:
    started = time.monotonic()
    answers, acked = run_load(stack, stack.clients, LOAD_SECONDS, "load")
    elapsed = time.monotonic() - started
    server_errors = [(a.method, a.path, a.status) for a in answers if a.status >= 500]
    assert not server_errors, server_errors[:10]
    writes = [a for a in answers if a.method == "POST"]
    assert all(a.status == 302 for a in writes), {a.status for a in writes}
    assert len(acked) > CLIENTS, "too few writes to prove anything"
    assert_stored_exactly_once(stack, "load", acked)
    print(
        f"\nload: {len(answers)} requests ({len(acked)} writes) from {CLIENTS} clients "
        f"in {elapsed:.1f} s: {len(answers) / elapsed:.0f} requests/s"
    )


def test_readyz_says_so_when_the_worker_stops_answering(stack: Stack) -> None:
    wait_for(lambda: stack.readyz()[0] == 200, 30, "/readyz to be ready", 0.5)
    os.killpg(stack.worker.process.pid, signal.SIGSTOP)
    try:
        _status, body = wait_for(
            lambda: (r := stack.readyz())[0] == 503 and r, HEARTBEAT_MAX_AGE + 15,
            "/readyz to notice the silent worker", 0.5,
        )  # fmt: skip
        assert body["failed"] == ["worker"], body
        assert body["checks"]["worker"].startswith("last worker heartbeat")
    finally:
        os.killpg(stack.worker.process.pid, signal.SIGCONT)
    wait_for(lambda: stack.readyz()[0] == 200, 30, "/readyz to be ready again", 0.5)


def test_without_redis_exports_get_a_clear_503_pages_work_and_all_recovers(stack: Stack) -> None:
    client = stack.clients[0]
    stack.redis.stop()
    try:
        status, body = stack.readyz()
        assert status == 503
        assert "broker" in body["failed"], body
        token = client.csrf_token("/reports/")
        form = {"csrf_token": token, "date_from": "2024-01-01", "date_to": "2024-01-31"}
        started = time.monotonic()
        export = client.request("POST", "/reports/", form)
        assert export.status == 503, export.status
        assert QUEUE_DOWN_TEXT in export.body
        assert time.monotonic() - started < 15
        for path in READS:
            assert client.request("GET", path).status == 200, path
    finally:
        stack.redis.start()
    wait_for(lambda: stack.readyz()[0] == 200, 45, "/readyz to be ready with Redis back", 0.5)
    form["csrf_token"] = client.csrf_token("/reports/")
    export = client.request("POST", "/reports/", form)
    assert export.status == 302, export.status
    progress = f"{export.location}/progress"

    def done() -> bool:
        return json.loads(client.request("GET", progress).body)["status"] == "done"

    wait_for(done, 45, "the export to finish after Redis came back", 0.5)


def test_a_postgres_restart_under_load_gives_503s_only_during_the_outage(stack: Stack) -> None:
    clients = stack.clients[:8]
    outage: dict[str, float] = {}

    def restart() -> None:
        time.sleep(2)
        outage["stop"] = time.monotonic()
        stack.postgres.stop("fast")
        time.sleep(2)
        stack.postgres.start()
        outage["back"] = time.monotonic()

    restarter = threading.Thread(target=restart, daemon=True)
    restarter.start()
    answers, acked = run_load(stack, clients, 12, "restart")
    restarter.join(timeout=60)
    assert "back" in outage, "PostgreSQL did not come back"
    unavailable = [a for a in answers if a.status == 503]
    others = [a for a in answers if a.status >= 500 and a.status != 503]
    assert not others, [(a.path, a.status) for a in others[:10]]
    assert unavailable, "the outage never reached a request: the test proved nothing"
    for answer in unavailable:
        assert DB_DOWN_TEXT in answer.body, answer.body[:300]
        assert outage["stop"] <= answer.at <= outage["back"] + RECOVERY_GRACE, answer
    after = [a for a in answers if a.at > outage["back"] + RECOVERY_GRACE]
    assert after, "no request after the recovery"
    assert all(a.status < 400 for a in after), {a.status for a in after}
    assert_stored_exactly_once(stack, "restart", acked)
