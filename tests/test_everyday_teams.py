"""Everyday use inside teams: the first day of the week against Monday approvals, the delete
confirmation of a locked week, the timer, grid and empty week offering the current team's tasks
only, a timer that stops into a locked week, and deleting an account that owns a team."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from extensions import db
from models import Team, TimeEntry, Timer, User, WeekApproval
from services.timesheet import approvals
from services.timesheet import timer as timer_service
from services.timesheet.entries import EntryError
from tests.conftest import make_user
from tests.team_support import add_member, team_of
from tests.timesheet_support import add_entry, add_project, add_task, client_for, main_of

SUNDAY = date(2026, 11, 15)
MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)


@pytest.fixture
def team(app: Flask) -> dict[str, int]:
    """Olive owns a team (task "Design" in "Apollo"); Mia is a member whose week starts on
    Sunday, with a personal team of her own (task "Private" in "Home"), the shared team current."""
    owner = make_user(app, email="olive@example.com", name="Olive")
    team_id = team_of(app, owner)
    task = add_task(app, add_project(app, owner, "Apollo"), "Design")
    mia = make_user(app, email="mia@example.com", name="Mia", week_start=6)
    own_task = add_task(app, add_project(app, mia, "Home"), "Private")
    add_member(app, team_id, mia, "member")
    with app.app_context():
        db.session.get(User, mia).current_team_id = team_id
        db.session.commit()
    return {"owner": owner, "team": team_id, "task": task, "mia": mia, "own_task": own_task}


def approve_mias_week(app: Flask, team: dict[str, int]) -> None:
    with app.app_context():
        mia, olive = db.session.get(User, team["mia"]), db.session.get(User, team["owner"])
        approvals.submit_week(mia, team["team"], MONDAY)
        approvals.approve_week(olive, team["team"], team["mia"], MONDAY)


def test_a_sunday_week_page_submits_the_monday_week_and_says_which_days(
    app: Flask, team: dict[str, int]
) -> None:
    mia = client_for(app, team["mia"])
    page = mia.get("/week?start=2026-11-18").get_data(as_text=True)
    assert "15 Nov \N{EN DASH} 21 Nov 2026" in page  # her week: Sunday to Saturday
    assert "this one covers Mon 16 Nov \N{EN DASH} Sun 22 Nov 2026" in page
    label = re.search(r'<input[^>]* name="week"[^>]* value="([^"]+)"', page)
    assert label is not None and label.group(1) == "2026-W47"
    mia.post("/week/submit", data={"week": label.group(1)})
    with app.app_context():
        approval = db.session.scalar(select(WeekApproval))
        assert (approval.week_start, approval.status) == (MONDAY, "submitted")
    # A Monday week (the default) does not need the sentence.
    olive_page = client_for(app, team["owner"]).get("/week?start=2026-11-18")
    assert "this one covers" not in olive_page.get_data(as_text=True)


def test_only_the_approved_monday_weeks_entries_are_locked_on_a_sunday_week_page(
    app: Flask, team: dict[str, int]
) -> None:
    sunday = add_entry(app, team["mia"], team["task"], SUNDAY, minutes=30)
    tuesday = add_entry(app, team["mia"], team["task"], TUESDAY, minutes=45)
    approve_mias_week(app, team)
    mia = client_for(app, team["mia"])
    page = mia.get("/week?start=2026-11-18").get_data(as_text=True)
    assert f"/entries/{sunday}/delete" in page  # Sunday 15 is in the week before: open
    assert f"/entries/{tuesday}/delete" not in page and "locked" in page
    # The confirmation page of a locked entry offers no delete; the open one does.
    locked_page = mia.get(f"/entries/{tuesday}/delete").get_data(as_text=True)
    assert "week is locked (approved)" in locked_page
    assert f'action="/entries/{tuesday}/delete"' not in locked_page
    assert f'action="/entries/{sunday}/delete"' in mia.get(f"/entries/{sunday}/delete").get_data(
        as_text=True
    )
    # A forged POST is refused with the lock's message and deletes nothing.
    response = mia.post(f"/entries/{tuesday}/delete", follow_redirects=True)
    assert "is locked (approved)" in response.get_data(as_text=True)
    assert mia.post(f"/entries/{sunday}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(TimeEntry, tuesday) is not None
        assert db.session.get(TimeEntry, sunday) is None


def test_the_timer_grid_and_empty_week_offer_the_current_teams_tasks_only(
    app: Flask, team: dict[str, int]
) -> None:
    mia = client_for(app, team["mia"])
    page = mia.get("/week").get_data(as_text=True)
    bar = page[
        page.index('id="timer-task"') : page.index("</select>", page.index('id="timer-task"'))
    ]
    assert "Apollo — Design" in bar and "Private" not in bar
    assert "Nothing logged this week yet" in page
    grid = main_of(mia.get("/week/grid").get_data(as_text=True))
    assert "Apollo — Design" in grid and "Private" not in grid
    # Switching to her own team switches the offers.
    with app.app_context():
        own_team = db.session.scalar(
            select(Team.id).where(Team.id != team["team"]).order_by(Team.id.desc())
        )
        db.session.get(User, team["mia"]).current_team_id = own_team
        db.session.commit()
    page = mia.get("/week/grid").get_data(as_text=True)
    assert "Home — Private" in page and "Apollo — Design" not in page


def test_an_empty_week_tells_a_member_who_adds_projects(app: Flask) -> None:
    owner = make_user(app, email="pat@example.com", name="Pat")
    member = make_user(app, email="ned@example.com", name="Ned", team=False)
    add_member(app, team_of(app, owner), member, "member")
    page = client_for(app, member).get("/week").get_data(as_text=True)
    assert "Ask a manager of" in page and "/projects/new" not in main_of(page)
    page = client_for(app, owner).get("/week").get_data(as_text=True)
    assert "Create a project</a>" in page


def test_a_timer_cannot_stop_into_a_locked_week(app: Flask, team: dict[str, int]) -> None:
    approve_mias_week(app, team)
    started = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
    with app.app_context():
        db.session.add(Timer(user_id=team["mia"], task_id=team["task"], started_at=started))
        db.session.commit()
        mia = db.session.get(User, team["mia"])
        with pytest.raises(EntryError, match="is locked"):
            timer_service.stop_timer(mia, now=started + timedelta(hours=1))
        db.session.expire_all()
        # Nothing logged, and the timer still runs (it can be discarded).
        assert timer_service.running_timer(team["mia"]) is not None
        assert db.session.scalar(select(TimeEntry.id)) is None


def test_deleting_an_account_that_owns_a_shared_team_is_refused(
    app: Flask, team: dict[str, int]
) -> None:
    olive = client_for(app, team["owner"])
    assert "You are the only owner of" in olive.get("/settings/delete").get_data(as_text=True)
    response = olive.post("/settings/delete", data={"password": "correct horse battery"})
    assert response.status_code == 422
    assert "pass ownership" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, team["owner"]) is not None
    # Mia's own team (nobody else in it) goes with her account, her time too.
    add_entry(app, team["mia"], team["own_task"], MONDAY, minutes=30)
    add_entry(app, team["mia"], team["task"], MONDAY, minutes=30)
    mia = client_for(app, team["mia"])
    assert (
        mia.post("/settings/delete", data={"password": "correct horse battery"}).status_code == 302
    )
    with app.app_context():
        assert db.session.get(User, team["mia"]) is None
        assert db.session.scalars(select(Team.id)).all() == [team["team"]]
        assert db.session.scalar(select(TimeEntry.id)) is None
