"""The data model's rules, enforced by the database itself, on SQLite and PostgreSQL.

Guard 8 lives here: SQLite connections enforce foreign keys (off by default in SQLite)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from extensions import db
from models import Membership, Project, Task, TimeEntry, User
from tests.conftest import make_user
from tests.team_support import personal_team_id, team_of

START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def add_project_with_entry(app: Flask, user_id: int, minutes: int = 60) -> tuple[int, int, int]:
    with app.app_context():
        project = Project(team_id=personal_team_id(user_id), name="Apollo")
        task = Task(project=project, name="Design")
        entry = TimeEntry(
            user_id=user_id, task=task, spent_on=START.date(), started_at=START, minutes=minutes
        )
        db.session.add_all([project, task, entry])
        db.session.commit()
        return project.id, task.id, entry.id


def test_sqlite_enforces_foreign_keys(app: Flask) -> None:
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.add(Project(team_id=999, name="Orphan"))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_foreign_keys_are_enforced(any_app: Flask) -> None:
    with any_app.app_context():
        db.session.add(Project(team_id=999, name="Orphan"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalars(select(Project)).all() == []


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_duration_must_be_positive_and_within_a_day(any_app: Flask, minutes: int) -> None:
    user_id = make_user(any_app)
    with pytest.raises(IntegrityError, match=r"positive_duration|at_most_one_day"):
        add_project_with_entry(any_app, user_id, minutes=minutes)


def test_project_names_are_unique_per_team(any_app: Flask) -> None:
    ada = team_of(any_app, make_user(any_app, email="ada@example.com"))
    bob = team_of(any_app, make_user(any_app, email="bob@example.com"))
    with any_app.app_context():
        db.session.add_all(
            [Project(team_id=ada, name="Apollo"), Project(team_id=bob, name="Apollo")]
        )
        db.session.commit()  # the same name in two teams is fine
        db.session.add(Project(team_id=ada, name="Apollo"))
        with pytest.raises(IntegrityError, match=r"uq_projects_team_id_name_key|UNIQUE"):
            db.session.commit()


def test_deleting_a_user_deletes_their_time_but_not_the_teams_projects(any_app: Flask) -> None:
    user_id = make_user(any_app)
    add_project_with_entry(any_app, user_id)
    with any_app.app_context():
        db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": user_id})
        db.session.commit()
        for model in (TimeEntry, Membership):
            assert db.session.scalars(select(model)).all() == []
        # Projects belong to the team, which other members may still use.
        assert len(db.session.scalars(select(Project)).all()) == 1
        assert len(db.session.scalars(select(Task)).all()) == 1


def test_a_task_with_logged_time_cannot_be_deleted(any_app: Flask) -> None:
    user_id = make_user(any_app)
    _, task_id, _ = add_project_with_entry(any_app, user_id)
    with any_app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(text("DELETE FROM tasks WHERE id = :id"), {"id": task_id})
            db.session.commit()
        db.session.rollback()
        assert db.session.get(Task, task_id) is not None


def test_timestamps_are_aware_utc_and_computed_per_row(any_app: Flask) -> None:
    first = make_user(any_app, email="a@example.com")
    second = make_user(any_app, email="b@example.com")
    with any_app.app_context():
        a, b = db.session.get(User, first), db.session.get(User, second)
        db.session.expire_all()
        assert a.created_at.tzinfo is not None and a.created_at.utcoffset() == timedelta(0)
        assert a.created_at < b.created_at  # a default computed at import would make them equal
        before = a.updated_at
        a.name = "Ada Lovelace"
        db.session.commit()
        assert a.updated_at > before


def test_time_entries_round_trip_aware_datetimes(any_app: Flask) -> None:
    user_id = make_user(any_app)
    _, _, entry_id = add_project_with_entry(any_app, user_id, minutes=90)
    with any_app.app_context():
        db.session.expire_all()
        entry = db.session.get(TimeEntry, entry_id)
        assert entry.started_at == START
        assert entry.started_at.tzinfo is not None
        assert entry.ended_at == START + timedelta(minutes=90)
        assert entry.spent_on == date(2026, 11, 16)


def test_naive_datetimes_are_refused(app: Flask) -> None:
    user_id = make_user(app)
    with app.app_context():
        project = Project(team_id=personal_team_id(user_id), name="P")
        entry = TimeEntry(
            user_id=user_id,
            task=Task(project=project, name="T"),
            spent_on=START.date(),
            started_at=START.replace(tzinfo=None),
            minutes=5,
        )
        db.session.add(entry)
        with pytest.raises(StatementError, match="naive datetime"):
            db.session.commit()


def test_names_differing_only_in_case_are_refused_by_the_database(any_app: Flask) -> None:
    """The app checks first, but two requests can both pass the check: the database decides."""
    ada = make_user(any_app)
    with any_app.app_context():
        project = Project(team_id=personal_team_id(ada), name="Straße")
        db.session.add_all([project, Task(project=project, name="Design")])
        db.session.commit()
        assert project.name_key == "strasse"
        db.session.add(Project(team_id=personal_team_id(ada), name="STRASSE"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(Task(project_id=project.id, name=" design "))
        with pytest.raises(IntegrityError):
            db.session.commit()
