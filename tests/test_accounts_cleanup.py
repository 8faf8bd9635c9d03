"""Sign-ups never confirmed are deleted after UNCONFIRMED_ACCOUNT_MAX_AGE_DAYS, with their empty
personal team, and free their address; confirmed accounts, young ones and any holding data stay."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from extensions import db
from models import ApiToken, Membership, Report, Team, User
from models.columns import utcnow
from tests.auth_support import capture_mail_log, confirm_link, register, user_row
from tests.conftest import make_user
from tests.team_support import add_member, team_of
from tests.timesheet_support import add_entry, add_project, add_task

OLD = timedelta(days=8)  # the default age is 7 days


def aged(app: Flask, email: str, age: timedelta, confirmed: bool = False, **kw) -> int:
    at = utcnow() - age
    return make_user(
        app, email=email, created_at=at, email_confirmed_at=at if confirmed else None, **kw
    )


def run(app: Flask) -> int:
    from services.accounts.cleanup import delete_unconfirmed_accounts

    with app.app_context():
        return delete_unconfirmed_accounts()


def emails(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(User.email)))


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_stale_unconfirmed_accounts_go_and_the_rest_stay(any_app: Flask) -> None:
    owner = make_user(any_app, email="owner@example.com")
    owners_task = add_task(any_app, add_project(any_app, owner))
    with any_app.app_context():  # a report of one's own: person_id NULL (NOT IN must cope)
        day = date(2026, 11, 16)
        db.session.add(Report(user_id=owner, date_from=day, date_to=day, status="done"))
        db.session.commit()
    aged(any_app, "stale@example.com", OLD)
    aged(any_app, "young@example.com", timedelta(days=6))
    aged(any_app, "confirmed@example.com", OLD, confirmed=True)
    add_entry(any_app, aged(any_app, "worked@example.com", OLD), owners_task, date(2026, 11, 16))
    add_project(any_app, aged(any_app, "project@example.com", OLD))
    with_token = aged(any_app, "token@example.com", OLD)
    with any_app.app_context():
        db.session.add(
            ApiToken(user_id=with_token, name="t", token_hash="h" * 64, prefix="x", scope="read")
        )
        db.session.commit()
    in_a_team = aged(any_app, "member@example.com", OLD, team=False)
    add_member(any_app, team_of(any_app, owner), in_a_team, "member")
    # A team with no projects, but another person in it: not the stale account's to delete.
    shared = aged(any_app, "shared@example.com", OLD)
    add_member(
        any_app, team_of(any_app, shared), make_user(any_app, email="b@example.com"), "admin"
    )
    teams_before = count(any_app, Team)

    assert run(any_app) == 1
    assert emails(any_app) == {
        "young@example.com",
        "confirmed@example.com",
        "worked@example.com",
        "project@example.com",
        "token@example.com",
        "member@example.com",
        "owner@example.com",
        "shared@example.com",
        "b@example.com",
    }
    assert count(any_app, Team) == teams_before - 1  # the stale one's personal team went too
    with any_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 10
    assert run(any_app) == 0  # again: nothing more to do


def test_the_freed_address_can_sign_up_again(app: Flask, caplog) -> None:
    with capture_mail_log(caplog):
        assert register(app.test_client(), name="Squatter").status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ada@example.com"))
        user.created_at = utcnow() - OLD
        db.session.commit()
    assert run(app) == 1
    caplog.clear()
    with capture_mail_log(caplog):
        assert register(app.test_client()).status_code == 302
    assert app.test_client().post(confirm_link(caplog)).status_code == 302
    assert user_row(app, "ada@example.com").name == "Ada"


def test_the_age_is_a_setting(app: Flask) -> None:
    aged(app, "two-days@example.com", timedelta(days=2))
    assert run(app) == 0
    app.config["UNCONFIRMED_ACCOUNT_MAX_AGE_DAYS"] = 1
    assert run(app) == 1


def test_the_task_and_the_command_do_the_same(app: Flask) -> None:
    from tasks.accounts import delete_unconfirmed

    aged(app, "one@example.com", OLD)
    app.extensions["celery"]  # this app's Celery current (see tests/test_celery_mail.py)
    with app.app_context():
        assert delete_unconfirmed() == 1
    aged(app, "two@example.com", OLD)
    result = app.test_cli_runner().invoke(args=["timesheet", "delete-unconfirmed"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 unconfirmed account(s) older than 7 days." in result.output
    assert emails(app) == set()


def test_beat_runs_it_hourly(app: Flask) -> None:
    from services.accounts.cleanup import CLEANUP_UNCONFIRMED_TASK

    celery = app.extensions["celery"]
    entries = [
        e for e in celery.conf.beat_schedule.values() if e["task"] == CLEANUP_UNCONFIRMED_TASK
    ]
    assert entries and entries[0]["schedule"] == 3600.0
    assert CLEANUP_UNCONFIRMED_TASK in celery.tasks
