"""Guard 4: the schema comes from migrations, and migrations match the models.

On SQLite and PostgreSQL: empty database -> head, no drift (``flask db check``), head -> base
leaves nothing behind, base -> head again. One head only. Every constraint carries the name the
naming convention gives it (an unnamed one cannot be altered or dropped by a later migration).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from extensions import db
from tests.architecture.project_files import ROOT, clean_env, copy_of_the_tree
from tests.conftest import dispose, make_app, postgres_admin_url, require

VERSIONS = ROOT / "migrations" / "versions"


def table_names(app: Flask) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def assert_round_trip(app: Flask) -> None:
    model_tables = set(db.metadata.tables)
    with app.app_context():
        upgrade()
    assert table_names(app) == model_tables
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        downgrade(revision="base")
    assert table_names(app) == set()
    with app.app_context():
        upgrade()
    assert table_names(app) == model_tables


def test_sqlite_upgrade_check_downgrade_upgrade(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path / "instance")
    assert table_names(app) == set()
    assert_round_trip(app)
    dispose(app)


@pytest.fixture
def empty_pg_url() -> str:
    admin_url = postgres_admin_url()
    require(bool(admin_url), "PostgreSQL (TEST_DATABASE_URL)")
    name = f"timesheet_migrations_{__import__('uuid').uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_check_downgrade_upgrade(empty_pg_url: str, tmp_path: Path) -> None:
    app = make_app(empty_pg_url, tmp_path / "instance")
    assert_round_trip(app)
    dispose(app)


@pytest.mark.postgres
def test_postgres_constraints_all_follow_the_naming_convention(pg_app: Flask) -> None:
    """PostgreSQL names an unnamed constraint itself (users_pkey, users_email_key): none here."""
    with pg_app.app_context():
        names = db.session.scalars(
            text(
                "SELECT c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = current_schema() AND t.relname != 'alembic_version'"
            )
        ).all()
    assert names
    assert [n for n in names if not re.match(r"^(pk|fk|uq|ck)_", n)] == []


def test_exactly_one_head() -> None:
    app = make_app("sqlite://", ROOT / "instance")
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        heads = script.get_heads()
    assert len(heads) == 1, f"several heads: {heads} (merge them with flask db merge)"


CONSTRUCTOR = re.compile(
    r"sa\.(PrimaryKeyConstraint|UniqueConstraint|ForeignKeyConstraint|CheckConstraint)\((.*)\)"
)


def unnamed_constraints(source: str) -> list[str]:
    found = []
    for line in source.splitlines():
        match = CONSTRUCTOR.search(line)
        if match and "name=" not in match.group(2):
            found.append(line.strip())
        if re.search(
            r"\.create_(index|unique_constraint|foreign_key|check_constraint)\(\s*None", line
        ):
            found.append(line.strip())
    return found


def test_no_unnamed_constraint_in_migrations() -> None:
    files = sorted(VERSIONS.glob("*.py"))
    assert files
    offenders = {f.name: unnamed_constraints(f.read_text()) for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_unnamed_constraint_check_can_fail() -> None:
    assert unnamed_constraints("    sa.UniqueConstraint('email'),")
    assert unnamed_constraints(
        "    batch_op.create_foreign_key(None, 'users', ['user_id'], ['id'])"
    )
    assert not unnamed_constraints("    sa.UniqueConstraint('email', name=op.f('uq_users_email')),")


@pytest.mark.slow
def test_flask_commands_work_from_a_fresh_checkout_with_no_environment(tmp_path: Path) -> None:
    """`flask db upgrade`, `flask db check` and `flask routes` from the repository root, with no
    FLASK_APP or any variable: flask finds create_app in app.py and the default is SQLite."""
    tree = copy_of_the_tree(tmp_path / "checkout")
    flask = str(Path(__import__("sys").executable).with_name("flask"))
    for command in (["db", "upgrade"], ["db", "check"], ["routes"]):
        result = subprocess.run(
            [flask, *command],
            cwd=tree,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, (command, result.stderr)
    assert (tree / "instance" / "timesheet.sqlite3").exists()
    assert "site.healthz" in result.stdout


def test_running_migrations_in_process_keeps_existing_loggers(tmp_path: Path) -> None:
    """Alembic's env.py calls logging.config.fileConfig, which by default disables every logger
    that already exists: after an in-process upgrade (tests, a deploy script) the app's own
    log lines would silently vanish. env.py passes disable_existing_loggers=False."""
    import logging

    existing = logging.getLogger("timesheet.probe")
    app = make_app(f"sqlite:///{tmp_path / 'logs.sqlite3'}", tmp_path / "instance")
    with app.app_context():
        upgrade()
    assert not existing.disabled
    assert not app.logger.disabled
    dispose(app)


def upgrade_a_database_that_has_rows(app: Flask) -> dict[str, list[tuple]]:
    """Stop at the first revision, store rows the way that schema allows, then go to head:
    a NOT NULL column added without a backfill fails here (autogenerate writes exactly that)."""
    now = "2026-01-05 09:00:00"
    with app.app_context():
        upgrade(revision="c0f2b6e6e285")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, session_token, active,"
                    " timezone, created_at, updated_at) VALUES (1, 'a@example.com', 'Ada', 'x',"
                    " 'token-token-token-token', :yes, 'UTC', :now, :now)"
                ),
                {"yes": True, "now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO projects (id, owner_id, name, archived, created_at, updated_at)"
                    " VALUES (1, 1, '  Straße  Works', :no, :now, :now)"
                ),
                {"no": False, "now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO tasks (id, project_id, name, closed, created_at, updated_at)"
                    " VALUES (1, 1, 'Design', :no, :now, :now)"
                ),
                {"no": False, "now": now},
            )
        upgrade()
        with db.engine.connect() as conn:
            return {
                table: conn.execute(text(f"SELECT name, name_key FROM {table}")).all()
                for table in ("projects", "tasks")
            }


def test_name_keys_are_filled_for_existing_rows(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'rows.sqlite3'}", tmp_path / "instance")
    found = upgrade_a_database_that_has_rows(app)
    # Batch mode rebuilt "projects"; with foreign keys on during the migration, the rebuild's
    # DROP TABLE would have cascaded into "tasks" and emptied it (migrations/env.py turns them off).
    assert found == {
        "projects": [("  Straße  Works", "strasse works")],
        "tasks": [("Design", "design")],
    }
    with app.app_context():  # and back on afterwards, on the pooled connection too
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    dispose(app)


@pytest.mark.postgres
def test_name_keys_are_filled_for_existing_rows_on_postgres(empty_pg_url: str, tmp_path) -> None:
    app = make_app(empty_pg_url, tmp_path / "instance")
    found = upgrade_a_database_that_has_rows(app)
    assert found["projects"] == [("  Straße  Works", "strasse works")]
    dispose(app)


PROJECT_IMPORT = re.compile(
    r"^\s*(from|import)\s+(app|config|extensions|models|routes|services|run|celery_worker)\b",
    re.MULTILINE,
)


def test_revisions_import_no_application_code() -> None:
    """A revision must keep doing what it did when it was written: importing models or
    services ties it to code that changes later (and can make old revisions fail to load)."""
    offenders = [f.name for f in VERSIONS.glob("*.py") if PROJECT_IMPORT.search(f.read_text())]
    assert offenders == []
    assert PROJECT_IMPORT.search("from models.columns import name_key\n")


FAILING_REVISION = '''"""A revision that fails half-way (test only).

Revision ID: f0000000fail
Revises: {head}
"""

from alembic import op

revision = "f0000000fail"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SELECT 1")
    raise RuntimeError("this migration fails on purpose")


def downgrade() -> None:
    pass
'''


def test_a_failing_migration_leaves_sqlite_foreign_keys_on(tmp_path: Path) -> None:
    """migrations/env.py turns foreign keys off for the run; a migration that raises must not
    leave the pooled connection (which the app goes on using) with them off."""
    import shutil

    migrations = tmp_path / "migrations"
    shutil.copytree(ROOT / "migrations", migrations, ignore=shutil.ignore_patterns("__pycache__"))
    head = ScriptDirectory(str(VERSIONS.parent)).get_current_head()
    (migrations / "versions" / "fail.py").write_text(FAILING_REVISION.format(head=head))
    app = make_app(f"sqlite:///{tmp_path / 'fails.sqlite3'}", tmp_path / "instance")
    try:
        # Flask-Migrate logs the error and exits, as the `flask db upgrade` command would.
        with app.app_context(), pytest.raises(SystemExit):
            upgrade(directory=str(migrations))
        with app.app_context():
            assert db.engine.pool.checkedout() == 0
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        dispose(app)


def confirmation_of_the_existing_user(app: Flask) -> object:
    """Upgrade a database that has a user made before sign-up confirmed addresses; return when
    that user counts as confirmed (None: locked out until a password reset)."""
    from models import User

    upgrade_a_database_that_has_rows(app)
    with app.app_context():
        return db.session.get(User, 1).email_confirmed_at


def test_existing_users_are_marked_confirmed(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    app = make_app(f"sqlite:///{tmp_path / 'rows.sqlite3'}", tmp_path / "instance")
    assert confirmation_of_the_existing_user(app) == datetime(2026, 1, 5, 9, tzinfo=UTC)
    dispose(app)


@pytest.mark.postgres
def test_existing_users_are_marked_confirmed_on_postgres(empty_pg_url: str, tmp_path) -> None:
    app = make_app(empty_pg_url, tmp_path / "instance")
    assert confirmation_of_the_existing_user(app) is not None
    dispose(app)
