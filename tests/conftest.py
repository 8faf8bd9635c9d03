"""Shared fixtures.

Isolation: every test gets its own database. SQLite: a fresh copy of a file migrated once per run.
PostgreSQL: one database per run, created and migrated here, every table truncated after each test.
Commits are real (a worker process or a second connection can see them), and no test sees
another's rows. No fixture pushes an app context for the whole test: a test that needs one opens
it with ``with app.app_context():``, and ``no_leaked_app_context`` checks none is left over.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, has_app_context, has_request_context
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from config import normalize_database_url
from extensions import db

pytest_plugins = ["pytester"]  # tests/test_isolation.py runs a failing test to prove the guard

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, what: str) -> None:
    """Skip a test whose service is missing on a developer's machine; fail it in CI."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is mandatory in CI (CI=true) but is not available", pytrace=False)
    pytest.skip(f"{what} not available")


def make_app(database_url: str, instance_path: Path, **overrides) -> Flask:
    return create_app(
        "testing",
        instance_path=str(instance_path),
        SQLALCHEMY_DATABASE_URI=database_url,
        **overrides,
    )


def dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the fixtures they use, so ``-m "not postgres"`` and the like select them."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "pg_app" in names or "pg_database_url" in names:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(autouse=True)
def no_leaked_app_context() -> Iterator[None]:
    assert not has_app_context(), "an app context leaked into this test from an earlier one"
    yield
    assert not has_request_context(), "this test left a request context pushed"
    assert not has_app_context(), "this test left an app context pushed"


# --- SQLite ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run; each test copies it."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite3"
    app = make_app(f"sqlite:///{path}", folder / "instance")
    with app.app_context():
        upgrade()
    dispose(app)
    return path


def sqlite_app(template: Path, folder: Path, **overrides) -> Flask:
    """An app on its own copy of the migrated SQLite template, in ``folder`` (created if
    needed); the caller disposes it."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "app.sqlite3"
    shutil.copyfile(template, database)
    return make_app(f"sqlite:///{database}", folder / "instance", **overrides)


@pytest.fixture
def app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    app = sqlite_app(sqlite_template, tmp_path)
    yield app
    dispose(app)


@pytest.fixture
def csrf_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """Like ``app``, with CSRF protection on (the testing settings switch it off)."""
    app = sqlite_app(sqlite_template, tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    dispose(app)


# --- PostgreSQL -----------------------------------------------------------------------------


def postgres_admin_url() -> str | None:
    return normalize_database_url(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture(scope="session")
def pg_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of our own on the PostgreSQL server at TEST_DATABASE_URL, migrated to head."""
    admin_url = postgres_admin_url()
    require(bool(admin_url), "PostgreSQL (TEST_DATABASE_URL)")
    assert admin_url is not None
    name = f"timesheet_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the server is down or refuses us: say so once, clearly
        admin.dispose()
        require(
            False,
            f"PostgreSQL at {make_url(admin_url).render_as_string()} ({exc.__class__.__name__})",
        )
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    app = make_app(url, tmp_path_factory.mktemp("pg-template"))
    with app.app_context():
        upgrade()
    dispose(app)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def truncate_all(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def pg_app(pg_database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(pg_database_url, tmp_path / "instance")
    yield app
    truncate_all(app)
    dispose(app)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_app(request: pytest.FixtureRequest) -> Flask:
    """The same test on both supported databases."""
    return request.getfixturevalue("app" if request.param == "sqlite" else "pg_app")


# --- Clients ----------------------------------------------------------------------------------


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# --- Users --------------------------------------------------------------------------------------


def make_user(
    app: Flask,
    email: str = "ada@example.com",
    name: str = "Ada",
    password: str = "correct horse battery",
    team: bool = True,
    **fields,
):
    """Insert a user directly (no HTTP), committed, and return its id. Confirmed (the address
    was proven) unless ``email_confirmed_at=None`` is given. Like a registered account, they
    own a personal team (``team=False``: a user in no team)."""
    from werkzeug.security import generate_password_hash

    from models import User
    from models.columns import utcnow

    fields.setdefault("email_confirmed_at", utcnow())
    with app.app_context():
        user = User(
            email=email,
            name=name,
            password_hash=generate_password_hash(password, app.config["PASSWORD_HASH_METHOD"]),
            **fields,
        )
        db.session.add(user)
        if team:
            from services.accounts.teams import found_team, personal_team_name

            db.session.flush()
            found_team(user, personal_team_name(name))
        db.session.commit()
        return user.id


def count_from_another_connection(app: Flask, sql: str, **params: object) -> int:
    """``SELECT count(*) ...`` on a connection of its own, as a worker process would see it:
    only committed rows count."""
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with other.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()
    finally:
        other.dispose()


def login(client: FlaskClient, app: Flask, user_id: int) -> None:
    """Log a test client in as a user without going through the login form (a real session
    row is started, as the login form would)."""
    from models import User
    from services.accounts.sessions import start_session

    with app.app_context():
        key = start_session(db.session.get(User, user_id), "test client")
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
