"""The production web server as the Procfile starts it (``gunicorn run:app`` with
``gunicorn.conf.py``): half-sent bodies cannot stall the site, and no product name is sent."""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest

from tests.server_support import base_env, get, running_gunicorn

pytestmark = pytest.mark.slow

BODY_TIMEOUT = 2.0


def half_sent_post(url: str) -> socket.socket:
    """A POST that announces 1000 bytes of body and sends 7, then waits."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(
        b"POST /auth/login HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        b"email=a"
    )
    return sock


def test_half_sent_bodies_do_not_stall_the_site_and_are_cut(
    sqlite_template: Path, tmp_path: Path
) -> None:
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(sqlite_template, database)
    env = base_env(
        TIMESHEET_ENV="testing",
        TIMESHEET_INSTANCE_PATH=str(tmp_path / "instance"),
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
        FLASK_REQUEST_BODY_TIMEOUT=str(BODY_TIMEOUT),
    )
    # One process: with gunicorn's default sync worker, one slow client holds the whole site.
    with running_gunicorn(env, tmp_path / "gunicorn.log", WEB_CONCURRENCY="1") as server:
        slow = [half_sent_post(server.url), half_sent_post(server.url)]
        sent_at = time.monotonic()
        time.sleep(0.3)
        for _ in range(5):
            started = time.monotonic()
            status, headers, _body = get(server.url + "/healthz", timeout=1.5)
            assert status == 200
            assert time.monotonic() - started < 1.0
        assert "gunicorn" not in headers.get("Server", "").lower()
        for sock in slow:
            answer = sock.recv(200)  # blocks until the server answers or closes
            waited = time.monotonic() - sent_at
            assert answer.startswith(b"HTTP/1.1 408") or answer == b"", answer
            assert BODY_TIMEOUT - 0.5 < waited < BODY_TIMEOUT + 3, waited
            sock.close()
        # The site still answers afterwards.
        assert get(server.url + "/healthz", timeout=2)[0] == 200
