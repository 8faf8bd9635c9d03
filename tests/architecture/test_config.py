"""Guard 9 and the configuration rules: production refuses insecure settings at start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import config
from app import create_app
from tests.architecture.project_files import ROOT, clean_env

GOOD_KEY = "k" * 48
PG_URL = "postgresql://timesheet@127.0.0.1/timesheet"
HOSTS = ["timesheet.example.com"]


MAIL = "smtp.example.com"
# Rate-limit counters every process shares (the storage is not reached while the app is built).
SHARED_LIMITS = "redis://127.0.0.1:6379/0"


def production(tmp_path: Path, **overrides):
    overrides.setdefault("MAIL_SERVER", MAIL)
    overrides.setdefault("RATELIMIT_STORAGE_URI", SHARED_LIMITS)
    return create_app("production", instance_path=str(tmp_path), **overrides)


@pytest.mark.parametrize(
    ("secret_key", "message"),
    [
        (None, "FLASK_SECRET_KEY is not set"),
        ("", "FLASK_SECRET_KEY is not set"),
        (config.DevelopmentConfig.SECRET_KEY, "known default"),
        ("change-me", "known default"),
        ("short-but-random-xyz", "shorter than 32 bytes"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, secret_key, message) -> None:
    with pytest.raises(config.ConfigError, match=message):
        production(
            tmp_path, SECRET_KEY=secret_key, SQLALCHEMY_DATABASE_URI=PG_URL, TRUSTED_HOSTS=HOSTS
        )


def test_production_refuses_to_start_without_a_database_url(tmp_path) -> None:
    with pytest.raises(config.ConfigError, match="FLASK_SQLALCHEMY_DATABASE_URI"):
        production(tmp_path, SECRET_KEY=GOOD_KEY, TRUSTED_HOSTS=HOSTS)


def test_production_refuses_to_start_without_trusted_hosts(tmp_path) -> None:
    with pytest.raises(config.ConfigError, match="FLASK_TRUSTED_HOSTS"):
        production(tmp_path, SECRET_KEY=GOOD_KEY, SQLALCHEMY_DATABASE_URI=PG_URL)


def test_production_refuses_to_start_without_a_mail_server(tmp_path) -> None:
    with pytest.raises(config.ConfigError, match="FLASK_MAIL_SERVER is not set"):
        production(
            tmp_path,
            SECRET_KEY=GOOD_KEY,
            SQLALCHEMY_DATABASE_URI=PG_URL,
            TRUSTED_HOSTS=HOSTS,
            MAIL_SERVER=None,
        )


def test_production_logs_mail_only_when_asked_to_and_then_redacts_links(tmp_path) -> None:
    app = production(
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        SQLALCHEMY_DATABASE_URI=PG_URL,
        TRUSTED_HOSTS=HOSTS,
        MAIL_SERVER=None,
        MAIL_BACKEND="log",
    )
    assert app.config["MAIL_LOG_REDACT_LINKS"] is True


def test_an_untrusted_host_gets_a_plain_400_not_a_500(tmp_path) -> None:
    app = production(
        tmp_path, SECRET_KEY=GOOD_KEY, SQLALCHEMY_DATABASE_URI=PG_URL, TRUSTED_HOSTS=HOSTS
    )
    response = app.test_client().get("/auth/login", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"not trusted" in response.data


def test_production_starts_with_good_settings(tmp_path) -> None:
    app = production(
        tmp_path, SECRET_KEY=GOOD_KEY, SQLALCHEMY_DATABASE_URI=PG_URL, TRUSTED_HOSTS=HOSTS
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("storage", ["memory://", None, ""])
def test_production_refuses_in_memory_rate_limit_counters(tmp_path, storage) -> None:
    with pytest.raises(config.ConfigError, match="FLASK_RATELIMIT_STORAGE_URI is in-memory"):
        production(
            tmp_path,
            SECRET_KEY=GOOD_KEY,
            SQLALCHEMY_DATABASE_URI=PG_URL,
            TRUSTED_HOSTS=HOSTS,
            RATELIMIT_STORAGE_URI=storage,
        )


def test_production_rate_limits_from_the_environment(tmp_path) -> None:
    env = clean_env() | {
        "TIMESHEET_ENV": "production",
        "FLASK_SECRET_KEY": GOOD_KEY,
        "FLASK_SQLALCHEMY_DATABASE_URI": PG_URL,
        "FLASK_TRUSTED_HOSTS": '["timesheet.example.com"]',
        "FLASK_MAIL_SERVER": MAIL,
        "TIMESHEET_INSTANCE_PATH": str(tmp_path),
    }
    flask = str(Path(sys.executable).with_name("flask"))
    refused = subprocess.run(
        [flask, "routes"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode != 0
    assert "FLASK_RATELIMIT_STORAGE_URI is in-memory" in refused.stderr
    env |= {
        "FLASK_RATELIMIT_STORAGE_URI": SHARED_LIMITS,
        "FLASK_RATELIMIT_SIGNUP": "500 per minute",
    }
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            "from app import create_app; print(create_app().config['RATELIMIT_SIGNUP'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "500 per minute"


def test_production_from_the_environment_fails_at_start_with_a_clear_message(tmp_path) -> None:
    env = clean_env() | {"TIMESHEET_ENV": "production", "FLASK_SQLALCHEMY_DATABASE_URI": PG_URL}
    flask = str(Path(sys.executable).with_name("flask"))
    result = subprocess.run(
        [flask, "routes"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "FLASK_SECRET_KEY is not set" in result.stderr


def test_environment_overrides_the_class(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FLASK_ENTRIES_PER_PAGE", "7")
    monkeypatch.setenv("FLASK_CELERY__broker_url", "redis://127.0.0.1:6379/9")
    app = create_app("testing", instance_path=str(tmp_path))
    assert app.config["ENTRIES_PER_PAGE"] == 7
    assert app.config["CELERY"]["broker_url"] == "redis://127.0.0.1:6379/9"
    # the class dict is never mutated: the next app gets the defaults again
    assert config.BaseConfig.CELERY["broker_url"] == ""


def test_unknown_configuration_name(tmp_path) -> None:
    with pytest.raises(config.ConfigError, match="TIMESHEET_ENV"):
        create_app("staging", instance_path=str(tmp_path))


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path) -> None:
    from extensions import db

    app = create_app("development", instance_path=str(tmp_path))
    with app.app_context():
        assert db.engine.url.database == str(tmp_path / "timesheet.sqlite3")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        (None, None),
    ],
)
def test_database_urls_use_psycopg3(url, expected) -> None:
    assert config.normalize_database_url(url) == expected
