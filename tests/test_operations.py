"""Production operations: proxy headers, readiness, check-config, mail in production, and a 503
(not a 500) while the database is unreachable."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from sqlalchemy import text

from extensions import db
from tests.auth_support import RESET_LINK, capture_mail_log, logged_mails
from tests.conftest import dispose, login, make_app, make_user, sqlite_app

UNREACHABLE_PG = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
HTML = {"Accept": "text/html"}


# --- Behind a proxy -----------------------------------------------------------------------------


def reset_link(app: Flask, caplog, **headers: str) -> str:
    make_user(app)
    with capture_mail_log(caplog):
        response = app.test_client().post(
            "/auth/reset", data={"email": "ada@example.com"}, headers=headers
        )
    assert response.status_code == 302
    [mail] = logged_mails(caplog)
    match = RESET_LINK.search(mail)
    assert match, mail
    return match.group(0)


def test_behind_one_tls_proxy_mailed_links_say_https(sqlite_template, tmp_path, caplog) -> None:
    app = sqlite_app(sqlite_template, tmp_path, PROXY_FIX_X_PROTO=1, PROXY_FIX_X_HOST=1)
    link = reset_link(
        app, caplog, **{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "timesheet.example"}
    )
    assert link.startswith("https://timesheet.example/auth/reset/")
    dispose(app)


def test_without_proxy_settings_forwarded_headers_are_ignored(app: Flask, caplog) -> None:
    link = reset_link(
        app, caplog, **{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    )
    assert link.startswith("http://localhost/auth/reset/")


# --- Mail in production -------------------------------------------------------------------------


def test_logged_mail_never_shows_a_working_reset_link(sqlite_template, tmp_path, caplog) -> None:
    app = sqlite_app(sqlite_template, tmp_path, MAIL_LOG_REDACT_LINKS=True)
    make_user(app)
    with capture_mail_log(caplog):
        app.test_client().post("/auth/reset", data={"email": "ada@example.com"})
    [mail] = logged_mails(caplog)
    assert "http://localhost/auth/reset/[redacted]" in mail
    assert RESET_LINK.search(mail) is None or "redacted" in RESET_LINK.search(mail).group(0)
    with app.app_context():
        from models import User
        from services.accounts import signed_links

        token = signed_links.make_token(signed_links.PASSWORD_RESET, db.session.get(User, 1))
    assert token[:20] not in mail
    dispose(app)


def test_redact_links_keeps_the_page_and_hides_tokens(app: Flask) -> None:
    from services.platform.mail import redact_links

    with app.app_context():
        text_ = "Open https://t.example/auth/reset/eyJ1IjoxfQ.Zx9_abcdefghijkl?x=1 now, or https://t.example/week"
        assert redact_links(text_) == (
            "Open https://t.example/auth/reset/[redacted]?[redacted] now, or https://t.example/week"
        )


# --- flask timesheet check-config ---------------------------------------------------------------


def test_check_config_shows_broker_and_mail_without_secrets(sqlite_template, tmp_path) -> None:
    import copy

    from config import BaseConfig

    celery = copy.deepcopy(BaseConfig.CELERY)
    celery["broker_url"] = "redis://:broker-secret@redis.internal:6379/0"
    celery["result_backend"] = "redis://:backend-secret@redis.internal:6379/1"
    app = sqlite_app(
        sqlite_template,
        tmp_path,
        CELERY=celery,
        MAIL_SERVER="smtp.example.com",
        MAIL_USERNAME="mailer",
        MAIL_PASSWORD="mail-secret",
    )
    result = app.test_cli_runner().invoke(args=["timesheet", "check-config"])
    assert result.exit_code == 0, result.output
    assert "broker: redis://:**@redis.internal:6379/0" in result.output
    assert "result backend: redis://:**@redis.internal:6379/1" in result.output
    assert "mail: SMTP smtp.example.com:587 (STARTTLS, login as mailer)" in result.output
    for secret in ("broker-secret", "backend-secret", "mail-secret", app.config["SECRET_KEY"]):
        assert secret not in result.output
    dispose(app)


def test_check_config_says_when_mail_only_goes_to_the_log(app: Flask) -> None:
    app.config.update(MAIL_BACKEND="log", MAIL_LOG_REDACT_LINKS=True)
    result = app.test_cli_runner().invoke(args=["timesheet", "check-config"])
    assert "mail: written to the log, not sent (links redacted)" in result.output


# --- /readyz ------------------------------------------------------------------------------------


def readyz(app: Flask) -> tuple[int, dict]:
    response = app.test_client().get("/readyz")
    return response.status_code, response.get_json()


def test_readyz_is_ready_with_database_migrations_broker_and_a_live_worker(app: Flask) -> None:
    from services.platform.heartbeat import record_heartbeat

    with app.app_context():
        record_heartbeat("celery@test")
    status, body = readyz(app)
    assert (status, body["failed"]) == (200, []), body
    assert body["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "broker": "ok",
        "worker": "ok",
    }


def test_readyz_names_a_missing_or_stale_worker(app: Flask) -> None:
    from models import WorkerHeartbeat
    from models.columns import utcnow

    status, body = readyz(app)
    assert (status, body["failed"]) == (503, ["worker"])
    assert body["checks"]["worker"] == "no worker has sent a heartbeat yet"
    app.config["WORKER_HEARTBEAT_MAX_AGE"] = 60
    with app.app_context():
        from datetime import timedelta

        db.session.add(WorkerHeartbeat(worker="celery@old", seen_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    status, body = readyz(app)
    assert (status, body["failed"]) == (503, ["worker"])
    assert body["checks"]["worker"] == "last worker heartbeat 3600 s ago"


def test_readyz_names_migrations_that_are_not_at_head(app: Flask) -> None:
    from services.platform.heartbeat import record_heartbeat

    with app.app_context():
        record_heartbeat("celery@test")
        db.session.execute(text("UPDATE alembic_version SET version_num = 'c0f2b6e6e285'"))
        db.session.commit()
    status, body = readyz(app)
    assert (status, body["failed"]) == (503, ["migrations"])
    assert body["checks"]["migrations"].startswith("database at revision c0f2b6e6e285, code at ")


def test_readyz_names_an_unreachable_broker_within_the_time_limit(
    sqlite_template, tmp_path
) -> None:
    import copy

    from config import BaseConfig
    from services.platform.heartbeat import record_heartbeat

    celery = copy.deepcopy(BaseConfig.CELERY)
    celery["broker_url"] = "redis://127.0.0.1:1/0"
    app = sqlite_app(sqlite_template, tmp_path, CELERY=celery)
    with app.app_context():
        record_heartbeat("celery@test")
    started = time.monotonic()
    status, body = readyz(app)
    assert time.monotonic() - started < 2 + 1.5  # READINESS_TIMEOUT, and a loaded machine
    assert (status, body["failed"]) == (503, ["broker"]), body
    dispose(app)


def test_readyz_answers_within_the_time_limit_when_a_check_hangs(app: Flask, monkeypatch) -> None:
    from services.platform import readiness

    monkeypatch.setitem(readiness.CHECKS, "broker", lambda: time.sleep(10) or "ok")
    app.config["READINESS_TIMEOUT"] = 0.5
    started = time.monotonic()
    status, body = readyz(app)
    # Far below the hanging check's 10 s (the margin is for a loaded machine).
    assert time.monotonic() - started < 4
    assert status == 503
    assert body["checks"]["broker"] == "no answer within 0.5 s"


def test_readyz_names_an_unreachable_database(tmp_path) -> None:
    app = make_app(UNREACHABLE_PG, tmp_path)
    status, body = readyz(app)
    assert status == 503
    assert {"database", "migrations", "worker"} <= set(body["failed"])
    dispose(app)


# --- Database outage: 503, not 500 ---------------------------------------------------------------


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_an_unreachable_database_is_a_503_page_not_a_500(tmp_path, accept: str) -> None:
    app = make_app(UNREACHABLE_PG, tmp_path)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "A" * 43  # the user loader has to ask the database
    response = client.get("/week", headers={"Accept": accept})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert b"database cannot be reached" in response.data
    dispose(app)


def test_a_mistake_in_sql_is_still_a_500(app: Flask) -> None:
    """SQLite raises OperationalError for a missing table too: that is a bug, not an outage."""
    from flask import Blueprint

    bp = Blueprint("sql_probe", __name__)

    @bp.get("/_probe/missing-table")
    def missing() -> str:
        db.session.execute(text("SELECT * FROM no_such_table"))
        return "unreachable"

    app.register_blueprint(bp)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    user_id = make_user(app)
    client = app.test_client()
    login(client, app, user_id)
    assert client.get("/_probe/missing-table", headers=HTML).status_code == 500
