"""Helpers for the timesheet page tests: rows inserted directly (no HTTP: projects, tasks,
entries, reports), a snapshot of every timesheet row to prove that a refused request changed
nothing, and a signed-in client."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from extensions import db
from models import Project, Report, Task, TimeEntry, User
from services.timesheet.dates import local_to_utc
from tests.conftest import login, make_user
from tests.team_support import personal_team_id

TIMESHEET_BLUEPRINTS = ("dashboard", "projects", "entries", "timer")


def add_project(app: Flask, owner_id: int, name: str = "Apollo", archived: bool = False) -> int:
    with app.app_context():
        project = Project(team_id=personal_team_id(owner_id), name=name, archived=archived)
        db.session.add(project)
        db.session.commit()
        return project.id


def add_task(app: Flask, project_id: int, name: str = "Design", closed: bool = False) -> int:
    with app.app_context():
        task = Task(project_id=project_id, name=name, closed=closed)
        db.session.add(task)
        db.session.commit()
        return task.id


def add_entry(
    app: Flask,
    user_id: int,
    task_id: int,
    day: date,
    start: str = "09:00",
    minutes: int = 60,
    note: str = "",
) -> int:
    with app.app_context():
        zone = db.session.get(User, user_id).timezone
        started_at = local_to_utc(day, time.fromisoformat(start), zone)
        entry = TimeEntry(
            user_id=user_id,
            task_id=task_id,
            spent_on=day,
            started_at=started_at,
            minutes=minutes,
            note=note,
        )
        db.session.add(entry)
        db.session.commit()
        return entry.id


def add_entries(app: Flask, user_id: int, rows: list[tuple[int, date, datetime, int]]) -> None:
    """Many entries at once: (task_id, day, started_at, minutes)."""
    with app.app_context():
        db.session.add_all(
            TimeEntry(
                user_id=user_id, task_id=task_id, spent_on=day, started_at=start, minutes=minutes
            )
            for task_id, day, start, minutes in rows
        )
        db.session.commit()


def add_report(app: Flask, user_id: int, **fields: Any) -> int:
    """A report row (pending unless ``fields`` say otherwise) of the user's time from 1 to 8
    March 2024, the week ``seed_entries`` (tests/worker_helpers.py) fills."""
    with app.app_context():
        report = Report(
            user_id=user_id, date_from=date(2024, 3, 1), date_to=date(2024, 3, 8), **fields
        )
        db.session.add(report)
        db.session.commit()
        return report.id


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every timesheet row, column by column: equal snapshots mean nothing changed."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with app.app_context():
        for model in (Project, Task, TimeEntry):
            table = model.__table__
            rows = db.session.execute(select(table).order_by(table.c.id)).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def client_for(app: Flask, user_id: int) -> FlaskClient:
    """A test client logged in as an existing user."""
    client = app.test_client()
    login(client, app, user_id)
    return client


def signed_in(app: Flask, email: str = "ada@example.com", **fields: Any) -> tuple[FlaskClient, int]:
    """A new user and a test client logged in as them."""
    user_id = make_user(app, email=email, **fields)
    return client_for(app, user_id), user_id


def entry_form(task_id: int, day: str = "2026-11-18", start: str = "09:00", **fields: str) -> dict:
    data = {
        "task_id": str(task_id),
        "day": day,
        "start": start,
        "duration": "",
        "end": "",
        "note": "",
    }
    data.update(fields)
    return data


def main_of(page: str) -> str:
    """The page's ``<main>`` only: the top bar's timer picker lists every open task, so a check
    that a task is *not* on a page looks at the page's own content."""
    start, end = page.index("<main>"), page.index("</main>")
    return page[start:end]
