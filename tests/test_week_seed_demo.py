"""``flask timesheet seed-demo``: a demo user with projects, tasks and two weeks of time."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from extensions import db
from models import Project, Task, TimeEntry, User
from services.accounts.users import authenticate
from services.timesheet.dates import local_today, week_of
from services.timesheet.week import summarize_week
from tests.conftest import login


def test_seed_demo_creates_a_usable_demo_week(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["timesheet", "seed-demo", "--email", "Demo@Example.com"])
    assert result.exit_code == 0, result.output
    assert "demo@example.com" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "demo@example.com"))
        assert user is not None and user.timezone == "Europe/Berlin"
        assert db.session.scalar(select(func.count()).select_from(Project)) == 4
        assert db.session.scalar(select(func.count()).select_from(Task)) == 8
        assert db.session.scalar(select(func.count()).select_from(TimeEntry)) > 0
        last_week = week_of(local_today(user.timezone)).previous
        summary = summarize_week(user.id, last_week, user.timezone)
        assert all(day.minutes <= 24 * 60 for day in summary.days)
        assert summary.minutes >= 5 * 6 * 60  # five working days of at least six hours
        old_token = user.session_token
        # The account rules apply (the demo calls the account services, no copy of them):
        # the email as typed logs in, with the password hashed the app's way.
        assert authenticate(" DEMO@example.com", "demo-password").id == user.id
        assert user.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"])

    # Running it again refuses, unless asked to start over.
    again = runner.invoke(args=["timesheet", "seed-demo"])
    assert again.exit_code != 0 and "--replace" in again.output
    assert runner.invoke(args=["timesheet", "seed-demo", "--replace"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        assert db.session.scalar(select(func.count()).select_from(Project)) == 4
        # The old account (and its data) is gone: a new one with a new session token.
        assert db.session.scalar(select(User.session_token)) != old_token


def test_an_unknown_time_zone_falls_back_to_utc(app: Flask) -> None:
    from tests.conftest import make_user

    user_id = make_user(app, timezone="Mars/Olympus_Mons")
    client = app.test_client()
    login(client, app, user_id)
    assert client.get("/week").status_code == 200
    assert client.get("/entries/new").status_code == 200
