"""Starting the real web server (``gunicorn run:app``, configured by ``gunicorn.conf.py``) for a
test, with the environment a deployment would give it. Bounded waits, always stopped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.auth_support import free_port
from tests.conftest import ROOT
from tests.process_support import stop_group

BIN = Path(sys.executable).parent
START_TIMEOUT = 40.0
STOP_TIMEOUT = 15.0


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def base_env(**variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TIMESHEET_"))}
    env.update({"PYTHONUNBUFFERED": "1", **variables})
    for key in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "PORT"):
        if key not in variables:
            env.pop(key, None)
    return env


def get(url: str, timeout: float = 5.0, headers: dict[str, str] | None = None):
    """(status, headers, body) of a GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def flask_db_upgrade(env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(BIN / "flask"), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@contextmanager
def running_gunicorn(env: dict[str, str], log_path: Path, **settings: str) -> Iterator[Server]:
    """``gunicorn run:app`` as the Procfile runs it; ``settings`` are gunicorn.conf.py's
    variables (WEB_CONCURRENCY, GUNICORN_THREADS ...)."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", **settings}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "run:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not re.search(r"Booting worker", server.log()) or not _answers(server.url):
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{server.log()[-4000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start:\n{server.log()[-4000:]}")
            time.sleep(0.2)
        yield server
    finally:
        stop_group(process, STOP_TIMEOUT)


def _answers(url: str) -> bool:
    try:
        get(url + "/healthz", timeout=2)
    except OSError:
        return False
    return True
