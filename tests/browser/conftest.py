"""Browser tests: a real server process, a real Celery worker and Debian's headless Chromium.

One server (gunicorn ``run:app``) and one browser per session; each test gets a fresh browser
context (its own cookies). The server runs the real commands a deployment runs: ``flask db upgrade``
first, then gunicorn, with CSRF switched ON. The worker (``celery -A celery_worker worker``) only
starts when a test asks for it. Every wait is bounded; every process is terminated at the end.
A failing test leaves a screenshot and the page's HTML in ``test-artifacts/`` and shows the tail
of the server (and worker) log in its report.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT, require

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
BIN = Path(sys.executable).parent  # the venv's bin: flask, gunicorn, celery live next to python
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT = 30.0
WORKER_START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
# Default for every Playwright wait: a broken page fails in seconds, not after 30 s.
PAGE_TIMEOUT_MS = 8_000


@dataclass
class Process:
    """A child process with its log file; ``tail()`` is what a failure report shows."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 60) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.popen.poll() is None:
            # Graceful: gunicorn finishes its requests, the worker its task (~3 s on SQLite).
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(STOP_TIMEOUT)


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    folder: Path
    server: Process
    processes: list[Process] = field(default_factory=list)


def start(name: str, command: list[str], env: dict[str, str], folder: Path) -> Process:
    log = folder / f"{name}.log"
    handle = log.open("wb")
    popen = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    handle.close()  # the child keeps its own copy
    return Process(name, popen, log)


def tool(name: str) -> str:
    """A console script of this environment (the venv's bin), else the one on PATH."""
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is not installed (./scripts/test installs it; without uv:"
            " pip install -r requirements-dev.txt)",
            pytrace=False,
        )
    return found


def server_env(folder: Path) -> dict[str, str]:
    """The same settings for the web server, ``flask db upgrade`` and the worker: one database,
    one broker and one result store, all files in this session's folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TIMESHEET_"))}
    env.update(
        TIMESHEET_ENV="testing",
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'browser.sqlite3'}",
        FLASK_WTF_CSRF_ENABLED="true",
        FLASK_CELERY__broker_url=f"sqla+sqlite:///{folder / 'celery-broker.sqlite3'}",
        FLASK_CELERY__result_backend=f"db+sqlite:///{folder / 'celery-results.sqlite3'}",
        # Exports are files in the instance folder: the worker writes, the server sends them.
        TIMESHEET_INSTANCE_PATH=str(folder / "instance"),
        # The development outbox (off in testing by default): sign-up reads its link there.
        FLASK_MAIL_OUTBOX="true",
        # Mails are logged at INFO when no MAIL_SERVER is set: the team test reads its
        # invitation links from the server log.
        FLASK_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        # Every test signs up and logs in from 127.0.0.1: the limits are raised, as a load test
        # would raise them, from the environment.
        FLASK_RATELIMIT_SIGNUP="1000 per minute",
        FLASK_RATELIMIT_LOGIN_PER_ADDRESS="1000 per minute",
    )
    return env


def gunicorn_command() -> list[str]:
    command = [
        tool("gunicorn"),
        "run:app",
        "--bind",
        "127.0.0.1:0",
        "--workers",
        "1",
        "--threads",
        "4",
        "--graceful-timeout",
        "3",
        "--access-logfile",
        "-",
    ]
    from gunicorn.config import KNOWN_SETTINGS

    # gunicorn 24+ opens a control socket in ~/.gunicorn shared by every instance: not ours.
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        command.append("--no-control-socket")
    return command


def wait_for(condition, timeout: float, process: Process, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            pytest.fail(
                f"{process.name} exited ({process.popen.returncode}) before {what}:\n"
                f"{process.tail()}",
                pytrace=False,
            )
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(
        f"{process.name}: no {what} within {timeout:.0f} s:\n{process.tail()}", pytrace=False
    )


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM}; scripts/install-browser installs it)")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("browser")
    env = server_env(folder)
    upgrade = subprocess.run(
        [tool("flask"), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if upgrade.returncode != 0:
        pytest.fail(f"flask db upgrade failed:\n{upgrade.stdout}\n{upgrade.stderr}", pytrace=False)

    server = start("server", gunicorn_command(), env, folder)
    live = LiveServer(url="", env=env, folder=folder, server=server, processes=[server])
    try:
        listening = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")

        def bound() -> bool:
            found = listening.search(server.log.read_text(errors="replace"))
            live.url = found.group(1) if found else ""
            return bool(found)

        wait_for(bound, SERVER_START_TIMEOUT, server, "listening socket")
        wait_for(lambda: healthy(live.url), SERVER_START_TIMEOUT, server, "healthy /healthz")
        yield live
    finally:
        for process in reversed(live.processes):
            process.stop()


@pytest.fixture(scope="session")
def celery_worker(live_server: LiveServer) -> Process:
    """A real worker, the exact command of the Procfile, on the server's broker and database."""
    worker = start(
        "worker",
        [tool("celery"), "-A", "celery_worker", "worker", "--loglevel", "INFO", "--pool", "solo"],
        live_server.env,
        live_server.folder,
    )
    live_server.processes.append(worker)  # stopped with the server, before it
    wait_for(
        lambda: " ready." in worker.log.read_text(errors="replace"),
        WORKER_START_TIMEOUT,
        worker,
        "'ready.' line",
    )
    return worker


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def csp_violations(messages: list[str]) -> list[str]:
    """Console lines in which Chromium reports a Content-Security-Policy violation (it logs every
    blocked inline script, style or outside resource as an error naming the policy)."""
    return [text for text in messages if "Content Security Policy" in text]


def offline_context(browser, live_server, outside: list[str], **options):
    """A browser context on the live server where nothing leaves 127.0.0.1: a request elsewhere
    is refused and its address put in ``outside`` (the caller asserts it stays empty)."""
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(PAGE_TIMEOUT_MS)

    def only_local(route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", None):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route(re.compile(r"^https?://"), only_local)
    return context


@pytest.fixture
def page(live_server: LiveServer, browser) -> Iterator[object]:
    """A fresh context (no cookies) on the live server. Any request that leaves 127.0.0.1 is
    refused and fails the test: the pages must work offline; and no page visited may report a
    Content-Security-Policy violation in the console. (``live_server`` comes first so the
    browser, set up after it, closes its connections before the server stops.)"""
    outside: list[str] = []
    context = offline_context(
        browser,
        live_server,
        outside,
        accept_downloads=True,
        viewport={"width": 1100, "height": 900},
    )
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{page.url}: {message.text}"))
    page.console_messages = console  # read by the test that proves this check works
    try:
        yield page
    finally:
        context.close()
    assert not outside, f"the page tried to load from outside 127.0.0.1: {outside}"
    if not getattr(page, "expects_csp_violation", False):
        assert not csp_violations(console), f"CSP violations: {csp_violations(console)}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """On failure: screenshot and HTML of the page into test-artifacts/, logs into the report."""
    report = yield
    if not report.failed or report.when == "teardown":
        return report
    funcargs = getattr(item, "funcargs", {})
    page = funcargs.get("page")
    if page is not None and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
            (ARTIFACTS / f"{stem}.html").write_text(page.content())
            report.sections.append(
                ("browser", f"url {page.url}; screenshot and HTML in {ARTIFACTS}/{stem}.*")
            )
        except Exception as exc:  # a dead page must not hide the real failure
            report.sections.append(("browser", f"no screenshot: {exc!r}"))
    live = funcargs.get("live_server")
    if live is not None:
        for process in live.processes:
            report.sections.append((f"{process.name} log (tail)", process.tail()))
    return report
