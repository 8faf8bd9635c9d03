"""One log line per request with a request id (JSON in production), each record written once."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap

import pytest
from flask import Flask

from tests.architecture.project_files import ROOT, clean_env
from wiring.logging import JsonFormatter

REQUEST_LOGGER = "app.request"


def request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == REQUEST_LOGGER]


def test_each_request_gets_an_id_and_one_log_line(app: Flask, caplog) -> None:
    client = app.test_client()
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        first = client.get("/healthz")
        second = client.get("/no-such-page")
    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert all(len(i) == 32 for i in ids) and ids[0] != ids[1]
    records = request_records(caplog)
    assert [(r.request_id, r.path, r.status) for r in records] == [
        (ids[0], "/healthz", 200),
        (ids[1], "/no-such-page", 404),
    ]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("req-7f3a.2024:01_x", True),
        ("a" * 129, False),
        ("two words", False),
        ("id;rm -rf", False),
        ("<script>", False),
    ],
)
def test_a_sane_request_id_is_kept_anything_else_replaced(
    app: Flask, caplog, sent: str, kept: bool
) -> None:
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        response = app.test_client().get("/healthz", headers={"X-Request-ID": sent})
    answered = response.headers["X-Request-ID"]
    assert (answered == sent) is kept
    assert request_records(caplog)[0].request_id == answered


def test_records_logged_inside_a_request_carry_its_id(app: Flask, caplog) -> None:
    from services.platform import mail

    app.config["MAIL_DELIVERY"] = "inline"
    with app.test_request_context(headers={"X-Request-ID": "mail-req-1"}):
        app.preprocess_request()
        with caplog.at_level(logging.INFO, logger="app.mail"):
            mail.send_email("ada@example.com", "Hello", "Body")
    [record] = [r for r in caplog.records if r.name == "app.mail"]
    assert record.request_id == "mail-req-1"


def test_json_formatter_writes_one_object_with_the_extra_fields() -> None:
    record = logging.LogRecord("app.request", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    record.request_id = "abc"
    record.status = 200
    line = JsonFormatter().format(record)
    assert "\n" not in line
    body = json.loads(line)
    assert body["message"] == "GET /x"
    assert body["request_id"] == "abc"
    assert body["status"] == 200
    assert body["level"] == "INFO"


def run_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_logs_json_lines_once_each(tmp_path) -> None:
    """A fresh process, as gunicorn starts one: each request is exactly one JSON line on stderr
    with its request id (Flask's own handler on app.logger would write every line twice)."""
    result = run_python(
        f"""
        from app import create_app
        app = create_app(
            "production",
            instance_path={str(tmp_path)!r},
            SECRET_KEY="k" * 48,
            SQLALCHEMY_DATABASE_URI="sqlite:///{tmp_path / "db.sqlite3"}",
            TRUSTED_HOSTS=["localhost"],
            MAIL_BACKEND="log",
            RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        )
        app.test_client().get("/healthz", headers={{"X-Request-ID": "json-req-1"}})
        """
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "/healthz" in line]
    assert len(lines) == 1, result.stderr
    body = json.loads(lines[0])
    assert body["request_id"] == "json-req-1"
    assert body["path"] == "/healthz"
    assert body["logger"] == REQUEST_LOGGER


def test_a_logged_mail_is_written_once(tmp_path) -> None:
    result = run_python(
        f"""
        from app import create_app
        from services.platform import mail
        app = create_app("development", instance_path={str(tmp_path)!r},
                         SQLALCHEMY_DATABASE_URI="sqlite://")
        with app.app_context():
            mail.deliver(mail.build_message("ada@example.com", "Hello", "Body"))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Mail not sent") == 1, result.stderr
