"""The benchmark command: the app against a hello-world floor, in one run, on this machine.

    .venv/bin/python bench/run.py            # 10 s x 3 rounds per page (about 4 minutes)
    .venv/bin/python bench/run.py --quick    # 2 s x 1 round: shows it works (CI runs this)

Starts the app under gunicorn (2 workers, production settings) on 127.0.0.1 against a PostgreSQL
database of its own (created on the server at BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
postgresql://postgres@127.0.0.1/postgres, and dropped afterwards), seeded with one user who has 50
entries this week over 4 projects x 3 tasks and one with 500; then a hello-world Flask app under the
same gunicorn settings (the floor), and the floor with one ``SELECT 1`` per request
(``bench/floor_db_app.py``: the ceiling of any page that reads the database). Each page is loaded
with wrk (-t2 -c8; installed from Debian's packages by scripts/install-bench-tools when missing),
and one table is printed: requests/s, p50, p99, the ratio to the floor, SQL queries per request
and the non-2xx count; the week rows come from the week cache (wrk revisits one page), the "cache
off" rows from the same app started with FLASK_WEEK_CACHE_MAX_BYTES=0 (what the first visit after
a write costs). Then cold start
(``create_app()`` in a fresh interpreter against ``import flask``) and the resident memory of one
gunicorn worker after the load.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PASSWORD = "bench-password-123"
TARGETS = {"/auth/login": 0.45, "week 50": 0.35, "API entries": 0.5, "team week": 0.2}
TEAM_MEMBERS = 20
ONE_QUERY_FLOOR = "floor + one query"


@dataclass
class Row:
    name: str
    path: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    non_2xx: int = 0
    queries: int | None = None


# --- Set-up ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def admin_url() -> str:
    from config import normalize_database_url

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    return normalize_database_url(url or "postgresql://postgres@127.0.0.1/postgres") or ""


@contextmanager
def bench_database() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    name = f"timesheet_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def production_env(database_url: str, instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TIMESHEET_"))}
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    env.update(
        TIMESHEET_ENV="production",
        TIMESHEET_INSTANCE_PATH=str(instance),
        FLASK_SECRET_KEY=secrets.token_hex(32),
        FLASK_SQLALCHEMY_DATABASE_URI=database_url,
        FLASK_TRUSTED_HOSTS='["127.0.0.1"]',
        FLASK_SESSION_COOKIE_SECURE="false",  # plain HTTP on loopback
        FLASK_REMEMBER_COOKIE_SECURE="false",
        FLASK_CELERY__broker_url=redis,
        FLASK_CELERY__result_backend=redis,
        FLASK_RATELIMIT_STORAGE_URI=redis,
        FLASK_RATELIMIT_ENABLED="false",  # wrk measures the pages, not the limiter
        FLASK_MAIL_BACKEND="log",
        FLASK_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def app_from_env(env: dict[str, str], **overrides: object) -> Flask:
    """``create_app()`` as the served app sees it (its environment), in this process."""
    from app import create_app

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return create_app(**overrides)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def seed(env: dict[str, str]) -> dict[str, str]:
    """Migrate, then (bench/seeding.py) one user with 50 entries this week, one with 500, and a
    team's owner with 20 members of 10 entries each; returns their emails, and under "token" an
    API token of the 50-entry user."""
    from flask_migrate import upgrade

    from bench.seeding import person_with_week, team_with_members, this_monday
    from extensions import db
    from services.accounts.passwords import hash_password
    from services.tokens.personal import create_token

    app = app_from_env(env)
    emails = {}
    with app.app_context():
        upgrade()
        password_hash = hash_password(PASSWORD)
        for size in (50, 500):
            email = f"bench{size}@example.com"
            user = person_with_week(email, size, this_monday(), password_hash)
            db.session.commit()
            emails[f"week {size}"] = email
            if size == 50:
                emails["token"] = create_token(user.id, "bench", "read").secret
        team_with_members("lead@example.com", TEAM_MEMBERS, 10, this_monday(), password_hash)
        db.session.commit()
        emails["team week"] = "lead@example.com"
        db.session.remove()
        db.engine.dispose()
    return emails


def gunicorn(app_spec: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        app_spec,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--log-level",
        "warning",
        "--no-control-socket",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer {url} within 60 s:\n{log.read_text()[-3000:]}")


def session_cookie(base: str, email: str) -> str:
    """Log in through the real form (CSRF token and all) and return the Cookie header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    opener.open(f"{base}/auth/login", urllib.parse.urlencode(form).encode()).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    # wrk counts only 4xx/5xx as errors: a login that failed would bench the redirect to /login.
    check = urllib.request.Request(f"{base}/week", headers={"Cookie": cookies})
    try:
        NO_REDIRECTS.open(check).close()
    except urllib.error.HTTPError as error:  # a redirect (to the login page) or an error
        raise SystemExit(f"could not log in as {email}: /week answered {error.code}") from None
    return cookies


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


NO_REDIRECTS = urllib.request.build_opener(_NoRedirect)


# --- Measuring -------------------------------------------------------------------------------


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "install-bench-tools")], check=True)
    return shutil.which("wrk") or "wrk"


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(url: str, seconds: int, headers: dict[str, str]) -> Row:
    command = [ensure_wrk(), "-t2", "-c8", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    row = Row(name="", path=url)
    row.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    row.p50_ms = milliseconds(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    row.p99_ms = milliseconds(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    row.non_2xx = int(non.group(1)) if non else 0
    return row


def best_of(url: str, seconds: int, rounds: int, headers: dict[str, str]) -> Row:
    """The median round by requests/s (and that round's latencies)."""
    rows = sorted((load(url, seconds, headers) for _ in range(rounds)), key=lambda r: r.rps)
    return rows[len(rows) // 2]


def queries_per_request(
    env: dict[str, str], email: str | None, path: str, headers: dict[str, str]
) -> int:
    """SQL statements one request runs, counted in-process against the same database."""
    from sqlalchemy import event

    from extensions import db

    app = app_from_env(
        env, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False, TRUSTED_HOSTS=["localhost"]
    )
    client = app.test_client()
    if email:
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
    client.get(path, headers=headers)  # warm-up
    with app.app_context():
        engine = db.engine
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client.get(path, headers=headers)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return len(statements)


def cold_start(env: dict[str, str], repeats: int) -> tuple[float, float]:
    """Median seconds for ``create_app()`` and for ``import flask``, each in a fresh interpreter."""

    def timed(code: str) -> float:
        script = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode:
            raise SystemExit(result.stderr)
        return float(result.stdout.strip().splitlines()[-1])

    app = statistics.median(
        timed("from app import create_app; create_app()") for _ in range(repeats)
    )
    flask = statistics.median(timed("import flask") for _ in range(repeats))
    return app, flask


def worker_memory_mb(master: subprocess.Popen[bytes]) -> tuple[float, float]:
    """The largest resident set (and PSS) among the master's worker processes, in MB."""
    rss, pss = 0.0, 0.0
    for child in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        rss = max(rss, int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
        rollup = Path(f"/proc/{child}/smaps_rollup")
        if rollup.exists():
            found = re.search(r"Pss:\s+(\d+)", rollup.read_text())
            pss = max(pss, int(found.group(1)) / 1024 if found else 0.0)
    return rss, pss


# --- The run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 s x 1 round: shows it works")
    args = parser.parse_args()
    seconds, rounds, repeats = (2, 1, 3) if args.quick else (10, 3, 7)
    ensure_wrk()
    with tempfile.TemporaryDirectory() as folder, bench_database() as database_url:
        env = production_env(database_url, Path(folder) / "instance")
        emails = seed(env)
        port, floor_port = free_port(), free_port()
        app_log, floor_log = Path(folder) / "app.log", Path(folder) / "floor.log"
        server = gunicorn("run:app", port, env, app_log)
        floor = gunicorn("bench.floor_app:app", floor_port, env, floor_log)
        db_floor_port, db_floor_log = free_port(), Path(folder) / "floor_db.log"
        db_floor = gunicorn("bench.floor_db_app:app", db_floor_port, env, db_floor_log)
        # The same app with the week cache off: what a visit after a write costs.
        uncached_port, uncached_log = free_port(), Path(folder) / "uncached.log"
        uncached_env = {**env, "FLASK_WEEK_CACHE_MAX_BYTES": "0"}
        uncached = gunicorn("run:app", uncached_port, uncached_env, uncached_log)
        try:
            base = f"http://127.0.0.1:{port}"
            uncached_base = f"http://127.0.0.1:{uncached_port}"
            wait_until_up(f"{base}/healthz", server, app_log)
            wait_until_up(f"http://127.0.0.1:{floor_port}/", floor, floor_log)
            wait_until_up(f"http://127.0.0.1:{db_floor_port}/", db_floor, db_floor_log)
            wait_until_up(f"{uncached_base}/healthz", uncached, uncached_log)
            monday = date.today() - timedelta(days=date.today().weekday())
            this_week = f"from={monday}&to={monday + timedelta(days=6)}&limit=50"
            token = {"Authorization": f"Bearer {emails['token']}"}
            # (row, path, who signs in through the form, extra headers)
            pages: list[tuple[str, str, str | None, dict[str, str]]] = [
                ("/auth/login", "/auth/login", None, {}),
                ("week 50", "/week", emails["week 50"], {}),
                ("week 500", "/week", emails["week 500"], {}),
                ("team week", "/team/week", emails["team week"], {}),
                ("API entries", f"/api/v1/entries?{this_week}", None, token),
                ("/healthz", "/healthz", None, {}),
            ]
            rows = [best_of(f"http://127.0.0.1:{floor_port}/", seconds, rounds, {})]
            rows[0].name, rows[0].queries = "hello-world floor", 0
            rows.append(best_of(f"http://127.0.0.1:{db_floor_port}/", seconds, rounds, {}))
            rows[1].name, rows[1].queries = ONE_QUERY_FLOOR, 1
            for name, path, email, headers in pages:
                sent = {**headers, "Cookie": session_cookie(base, email)} if email else headers
                row = best_of(base + path, seconds, rounds, sent)
                row.name, row.queries = name, queries_per_request(env, email, path, headers)
                rows.append(row)
            for size in (50, 500):
                email = emails[f"week {size}"]
                cookie = {"Cookie": session_cookie(uncached_base, email)}
                row = best_of(uncached_base + "/week", seconds, rounds, cookie)
                row.name = f"week {size}, cache off"
                row.queries = queries_per_request(uncached_env, email, "/week", {})
                rows.append(row)
            rss, pss = worker_memory_mb(server)
        finally:
            for process in (server, floor, db_floor, uncached):
                process.terminate()
                process.wait(timeout=30)
        create, flask = cold_start(env, repeats)
    print_table(rows)
    ratio = create / flask
    print(
        f"\ncold start: create_app() {create:.3f} s, import flask {flask:.3f} s, ratio {ratio:.2f}"
    )
    print(f"one gunicorn worker after the load: {rss:.1f} MB resident, {pss:.1f} MB PSS")
    week50 = next(r.rps for r in rows if r.name == "week 50") or 1.0
    week500 = next(r.rps for r in rows if r.name == "week 500")
    ceiling = next(r.rps for r in rows if r.name == ONE_QUERY_FLOOR) / (rows[0].rps or 1.0)
    print(f"one query per request caps a page at {ceiling:.3f} of the floor in this run")
    print(f"week 500 vs week 50: {week50 / (week500 or 1.0):.2f}x slower (target <= 1.5)")
    print(f"targets: cold start ratio <= 2.5, worker <= 70 MB resident; {platform_line()}")
    print(f"wrk -t2 -c8, {seconds} s x {rounds} rounds per page, gunicorn -w 2")


def platform_line() -> str:
    import platform

    cores = os.cpu_count()
    return f"{cores} cores, Python {platform.python_version()} on {platform.machine()}"


def print_table(rows: list[Row]) -> None:
    floor = rows[0].rps or 1.0
    print(
        "\n| page | requests/s | p50 ms | p99 ms | ratio to floor | target | queries/request "
        "| non-2xx |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        ratio = row.rps / floor
        target = TARGETS.get(row.name)
        goal = f">= {target}" if target else ""
        print(
            f"| {row.name} | {row.rps:.0f} | {row.p50_ms:.1f} | {row.p99_ms:.1f} | {ratio:.3f} | "
            f"{goal} | {row.queries} | {row.non_2xx} |"
        )


if __name__ == "__main__":
    main()
