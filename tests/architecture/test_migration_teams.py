"""The teams revision moves existing data: on a database that already holds users, projects,
tasks, time entries and reports (written in the shape of the revision before), upgrading keeps
every row and every total, gives each user a personal team they own holding their projects, and
shows no drift; downgrading gives every project back to its owner. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from extensions import db
from tests.architecture.test_migrations import empty_pg_url  # noqa: F401  (a fixture)
from tests.conftest import dispose, make_app

BEFORE = "71729cff1d99"  # the revision before teams
NOW = "2026-01-05 09:00:00"
USERS = [(1, "ada@example.com", "Ada"), (2, "bob@example.com", "Bob"), (3, "cy@example.com", "Cy")]
# (project id, owner id, name): Ada and Bob both have an "Apollo"; Cy has no project at all.
PROJECTS = [(1, 1, "Apollo"), (2, 1, "Zeus"), (3, 2, "Apollo")]
TASKS = [(1, 1, "Design"), (2, 1, "Build"), (3, 2, "Ops"), (4, 3, "Design")]
# (entry id, user id, task id, day, minutes)
ENTRIES = [
    (1, 1, 1, "2026-01-05", 90),
    (2, 1, 2, "2026-01-05", 30),
    (3, 1, 3, "2026-01-06", 480),
    (4, 2, 4, "2026-01-06", 45),
    (5, 2, 4, "2026-01-12", 1440),
]
REPORTS = [(1, 1, "2026-01-01", "2026-01-31"), (2, 2, "2026-01-01", "2026-01-07")]

# What must not change, whatever the schema: every row of the old tables, and the totals.
KEPT = {
    "users": "SELECT id, email, name, password_hash, session_token, timezone FROM users",
    "projects": "SELECT id, name, name_key, archived FROM projects",
    "tasks": "SELECT id, project_id, name, name_key, closed FROM tasks",
    "time_entries": "SELECT id, user_id, task_id, spent_on, minutes, note FROM time_entries",
    "reports": "SELECT id, user_id, date_from, date_to, status FROM reports",
    "minutes per user": "SELECT user_id, SUM(minutes) FROM time_entries GROUP BY user_id",
    "minutes per project": (
        "SELECT t.project_id, SUM(e.minutes) FROM time_entries e"
        " JOIN tasks t ON t.id = e.task_id GROUP BY t.project_id"
    ),
    "minutes per day": "SELECT spent_on, SUM(minutes) FROM time_entries GROUP BY spent_on",
}


def fill_old_shape(app: Flask) -> None:
    with app.app_context(), db.engine.begin() as conn:
        values = {"now": NOW, "yes": True, "no": False}
        for user_id, email, name in USERS:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, session_token, active,"
                    " timezone, created_at, updated_at) VALUES (:id, :email, :name, 'x',"
                    " :token, :yes, 'UTC', :now, :now)"
                ),
                {
                    **values,
                    "id": user_id,
                    "email": email,
                    "name": name,
                    "token": f"t-{user_id}" * 6,
                },
            )
        for project_id, owner_id, name in PROJECTS:
            conn.execute(
                text(
                    "INSERT INTO projects (id, owner_id, name, name_key, archived, created_at,"
                    " updated_at) VALUES (:id, :owner, :name, :key, :no, :now, :now)"
                ),
                {**values, "id": project_id, "owner": owner_id, "name": name, "key": name.lower()},
            )
        for task_id, project_id, name in TASKS:
            conn.execute(
                text(
                    "INSERT INTO tasks (id, project_id, name, name_key, closed, created_at,"
                    " updated_at) VALUES (:id, :project, :name, :key, :no, :now, :now)"
                ),
                {**values, "id": task_id, "project": project_id, "name": name, "key": name.lower()},
            )
        for entry_id, user_id, task_id, day, minutes in ENTRIES:
            conn.execute(
                text(
                    "INSERT INTO time_entries (id, user_id, task_id, spent_on, started_at, minutes,"
                    " note, created_at, updated_at) VALUES (:id, :user, :task, :day, :now,"
                    " :minutes, 'n', :now, :now)"
                ),
                {
                    **values,
                    "id": entry_id,
                    "user": user_id,
                    "task": task_id,
                    "day": day,
                    "minutes": minutes,
                },
            )
        for report_id, user_id, date_from, date_to in REPORTS:
            conn.execute(
                text(
                    "INSERT INTO reports (id, user_id, date_from, date_to, status, progress,"
                    " rows_written, created_at, updated_at) VALUES (:id, :user, :from, :to,"
                    " 'done', 100, 3, :now, :now)"
                ),
                {**values, "id": report_id, "user": user_id, "from": date_from, "to": date_to},
            )


def kept(app: Flask) -> dict[str, list[tuple]]:
    with app.app_context(), db.engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(text(sql)).all()), key=repr)
            for name, sql in KEPT.items()
        }


def owners(app: Flask) -> list[tuple]:
    """(project name, the user who owns the project's team), after the upgrade."""
    with app.app_context(), db.engine.connect() as conn:
        return sorted(
            conn.execute(
                text(
                    "SELECT p.id, m.user_id FROM projects p JOIN memberships m"
                    " ON m.team_id = p.team_id AND m.role = 'owner'"
                )
            ).all()
        )


def check_moves_the_data(app: Flask) -> None:
    with app.app_context():
        upgrade(revision=BEFORE)
    fill_old_shape(app)
    before = kept(app)
    with app.app_context():
        upgrade()
    assert kept(app) == before
    # Every project sits in its old owner's personal team, which the owner owns, and that team is
    # the user's current one; Cy (no projects) gets a team too.
    assert owners(app) == [(project_id, owner) for project_id, owner, _ in PROJECTS]
    with app.app_context(), db.engine.connect() as conn:
        teams = conn.execute(
            text(
                "SELECT u.id, t.name, m.role FROM users u JOIN teams t ON t.id = u.current_team_id"
                " JOIN memberships m ON m.team_id = t.id AND m.user_id = u.id ORDER BY u.id"
            )
        ).all()
        assert [tuple(row) for row in teams] == [
            (1, "Ada’s team", "owner"),  # noqa: RUF001
            (2, "Bob’s team", "owner"),  # noqa: RUF001
            (3, "Cy’s team", "owner"),  # noqa: RUF001
        ]
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output

    with app.app_context():
        downgrade(revision=BEFORE)
    assert kept(app) == before
    with app.app_context(), db.engine.connect() as conn:
        back = conn.execute(text("SELECT id, owner_id FROM projects ORDER BY id")).all()
    assert [tuple(row) for row in back] == [(p, owner) for p, owner, _ in PROJECTS]
    with app.app_context():
        upgrade()
    assert kept(app) == before


def test_teams_revision_keeps_every_row_and_total_on_sqlite(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'rows.sqlite3'}", tmp_path / "instance")
    check_moves_the_data(app)
    dispose(app)


@pytest.mark.postgres
def test_teams_revision_keeps_every_row_and_total_on_postgres(
    empty_pg_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = make_app(empty_pg_url, tmp_path / "instance")
    check_moves_the_data(app)
    dispose(app)


def test_downgrade_refuses_to_merge_two_projects_of_one_name(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Ada owns two teams that both have an "Apollo": the old shape (names unique per owner)
    cannot hold both, so the downgrade stops with a clear message instead of losing one."""
    app = make_app(f"sqlite:///{tmp_path / 'clash.sqlite3'}", tmp_path / "instance")
    with app.app_context():
        upgrade(revision=BEFORE)
    fill_old_shape(app)
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            # Bob's team passes to Ada: now she owns both "Apollo" projects.
            conn.execute(text("UPDATE memberships SET user_id = 1 WHERE user_id = 2"))
    before = kept(app)
    with app.app_context(), pytest.raises(SystemExit):  # flask_migrate logs the error and exits
        downgrade(revision=BEFORE)
    assert "two projects named 'apollo'" in capfd.readouterr().err
    # Refused before anything changed: still at head, every row there.
    assert kept(app) == before
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() == 3
    dispose(app)
