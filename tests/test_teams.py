"""Teams end to end over HTTP: invitations (mail, single use, expiry, revocation, sign-up from
the link), roles (the last owner stays), removal keeps past time as a former member's, the team
week and the approval steps."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from extensions import db
from models import Invitation, Membership, Report, TimeEntry, WeekApproval
from tests.auth_support import MAIL_LOGGER, PASSWORD, logged_mails
from tests.conftest import make_user
from tests.team_support import add_member, team_of
from tests.timesheet_support import (
    add_entry,
    add_project,
    add_task,
    client_for,
    entry_form,
)

LINK = re.compile(r"https?://[^/\s]+(/invitations/[A-Za-z0-9_\-]+)")
MONDAY = date(2026, 11, 16)


@pytest.fixture
def team(app: Flask) -> dict[str, int]:
    """Owner Olive's team with a project and task; Mia (member), Max (manager), Ada (admin)."""
    owner = make_user(app, email="olive@example.com", name="Olive")
    team_id = team_of(app, owner)
    project = add_project(app, owner, "Apollo")
    task = add_task(app, project, "Design")
    people = {"owner": owner, "team": team_id, "project": project, "task": task}
    for role, email, name in (
        ("member", "mia@example.com", "Mia"),
        ("manager", "max@example.com", "Max"),
        ("admin", "ada@example.com", "Ada"),
    ):
        user = make_user(app, email=email, name=name)
        people[role] = user
        people[f"{role}_membership"] = add_member(app, team_id, user, role)
        with app.app_context():
            from models import User

            db.session.get(User, user).current_team_id = team_id
            db.session.commit()
    return people


def invite(client: FlaskClient, team_id: int, email: str, role: str, caplog) -> str:
    with caplog.at_level(logging.INFO, logger=MAIL_LOGGER):
        response = client.post(f"/teams/{team_id}/invitations", data={"email": email, "role": role})
    assert response.status_code == 302
    [mail] = [m for m in logged_mails(caplog) if f"To: {email.lower()}" in m]
    return LINK.search(mail).group(1)


def test_invite_and_accept_with_an_existing_account(app: Flask, team, caplog) -> None:
    newcomer = make_user(app, email="nia@example.com", name="Nia")
    link = invite(client_for(app, team["owner"]), team["team"], "Nia@Example.com", "member", caplog)
    nia = client_for(app, newcomer)
    assert "Join “Olive\u2019s team”" in nia.get(link).get_data(as_text=True)
    response = nia.post(link + "/accept")
    assert response.status_code == 302
    assert "Welcome to “Olive\u2019s team”, as member." in nia.get("/week").get_data(as_text=True)
    with app.app_context():
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == newcomer, Membership.team_id == team["team"]
            )
        )
        assert membership.role == "member"
        invitation = db.session.scalar(select(Invitation))
        assert invitation.accepted_at is not None and len(invitation.token_hash) == 64
        assert link.rsplit("/", 1)[1] not in invitation.token_hash  # only the hash is stored
    # Single use.
    assert nia.get(link).status_code == 404
    assert "used already" in nia.get(link).get_data(as_text=True)


def test_sign_up_from_the_link(app: Flask, team, caplog) -> None:
    link = invite(
        client_for(app, team["admin"]), team["team"], "new@example.com", "manager", caplog
    )
    client = app.test_client()
    page = client.get(link).get_data(as_text=True)
    assert "Create your account" in page
    response = client.post(
        link + "/signup",
        data={"name": "Newton", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert response.status_code == 302
    assert "Team week" in client.get("/week").get_data(as_text=True)  # a manager now


def test_the_wrong_account_cannot_accept(app: Flask, team, caplog) -> None:
    link = invite(client_for(app, team["owner"]), team["team"], "nia@example.com", "member", caplog)
    intruder = client_for(app, team["member"])
    intruder.post(link + "/accept")
    assert "log in with that address" in intruder.get(link).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invitation)).accepted_at is None


def test_revoked_and_expired_links_do_not_work(app: Flask, team, caplog) -> None:
    owner = client_for(app, team["owner"])
    link = invite(owner, team["team"], "nia@example.com", "member", caplog)
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    owner.post(f"/teams/{team['team']}/invitations/{invitation_id}/revoke")
    assert "withdrawn" in app.test_client().get(link).get_data(as_text=True)
    link = invite(owner, team["team"], "zoe@example.com", "member", caplog)
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.email == "zoe@example.com")
        )
        invitation.expires_at = invitation.expires_at - timedelta(days=30)
        db.session.commit()
    assert "expired" in app.test_client().get(link).get_data(as_text=True)


def test_an_admin_cannot_invite_an_owner_and_a_member_cannot_invite(
    app: Flask, team, caplog
) -> None:
    admin = client_for(app, team["admin"])
    admin.post(
        f"/teams/{team['team']}/invitations", data={"email": "x@example.com", "role": "owner"}
    )
    member = client_for(app, team["member"])
    response = member.post(
        f"/teams/{team['team']}/invitations", data={"email": "y@example.com", "role": "member"}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Invitation)).all() == []


def test_the_last_owner_cannot_leave_or_be_demoted_but_can_pass_ownership(app: Flask, team) -> None:
    owner = client_for(app, team["owner"])
    with app.app_context():
        own = db.session.scalar(select(Membership.id).where(Membership.user_id == team["owner"]))
    owner.post(f"/teams/{team['team']}/leave")
    owner.post(f"/teams/{team['team']}/members/{own}/role", data={"role": "admin"})
    page = owner.get(f"/teams/{team['team']}").get_data(as_text=True)
    assert "A team needs an owner" in page
    # An admin may not touch the owner at all.
    admin = client_for(app, team["admin"])
    assert admin.post(f"/teams/{team['team']}/members/{own}/remove").status_code == 403
    owner.post(f"/teams/{team['team']}/members/{team['admin_membership']}/owner")
    with app.app_context():
        roles = dict(db.session.execute(select(Membership.user_id, Membership.role)).all())
    assert roles[team["owner"]] == "admin" and roles[team["admin"]] == "owner"


def test_a_removed_member_keeps_their_time_shown_as_former(app: Flask, team) -> None:
    add_entry(app, team["member"], team["task"], MONDAY, minutes=90)
    admin = client_for(app, team["admin"])
    admin.post(f"/teams/{team['team']}/members/{team['member_membership']}/remove")
    with app.app_context():
        assert len(db.session.scalars(select(TimeEntry)).all()) == 1
    page = client_for(app, team["manager"]).get("/team/week?week=2026-W47").get_data(as_text=True)
    assert "Mia" in page and "former member" in page and "1:30" in page
    # And Mia no longer sees the team's projects.
    assert client_for(app, team["member"]).get(f"/projects/{team['project']}").status_code == 404


def test_team_week_grid_and_totals(app: Flask, team) -> None:
    add_entry(app, team["member"], team["task"], MONDAY, minutes=60)
    add_entry(app, team["member"], team["task"], MONDAY + timedelta(days=1), minutes=30)
    add_entry(app, team["manager"], team["task"], MONDAY, minutes=120)
    page = client_for(app, team["manager"]).get("/team/week?week=2026-W47").get_data(as_text=True)
    assert "Mia" in page and "Max" in page and "3:30" in page  # the team total
    assert client_for(app, team["member"]).get("/team/week").status_code == 403


def test_submit_approve_lock_reopen(app: Flask, team) -> None:
    entry = add_entry(app, team["member"], team["task"], MONDAY, minutes=60)
    mia, max_ = client_for(app, team["member"]), client_for(app, team["manager"])
    mia.post("/week/submit", data={"week": "2026-W47"})
    max_.post(f"/team/people/{team['member']}/week/approve", data={"week": "2026-W47"})
    response = mia.post(
        f"/entries/{entry}/edit", data=entry_form(team["task"], day="2026-11-16", duration="2:00")
    )
    assert response.status_code == 422
    assert "is locked (approved)" in response.get_data(as_text=True)
    mia.post(f"/entries/{entry}/delete")
    page = mia.get("/week?week=2026-W47").get_data(as_text=True)
    assert "is locked (approved)" in page and "approved</strong> by Max" in page
    # A manager cannot reopen; an admin can, and the history keeps every step.
    assert (
        max_.post(
            f"/team/people/{team['member']}/week/reopen", data={"week": "2026-W47"}
        ).status_code
        == 403
    )
    client_for(app, team["admin"]).post(
        f"/team/people/{team['member']}/week/reopen", data={"week": "2026-W47", "comment": "typo"}
    )
    assert mia.post(f"/entries/{entry}/delete").status_code == 302
    with app.app_context():
        approval = db.session.scalar(select(WeekApproval))
        assert [e.action for e in approval.events] == ["submitted", "approved", "reopened"]
        assert db.session.get(TimeEntry, entry) is None


def test_sending_back_needs_a_comment(app: Flask, team) -> None:
    mia, max_ = client_for(app, team["member"]), client_for(app, team["manager"])
    mia.post("/week/submit", data={"week": "2026-W47"})
    max_.post(f"/team/people/{team['member']}/week/reject", data={"week": "2026-W47"})
    with app.app_context():
        assert db.session.scalar(select(WeekApproval.status)) == "submitted"
    max_.post(
        f"/team/people/{team['member']}/week/reject",
        data={"week": "2026-W47", "comment": "Tuesday is missing"},
    )
    assert "Tuesday is missing" in mia.get("/week?week=2026-W47").get_data(as_text=True)


def test_the_grace_rule_locks_old_weeks(app: Flask, team) -> None:
    old = date.today() - timedelta(days=30)
    entry = add_entry(app, team["member"], team["task"], old, minutes=60)
    client_for(app, team["admin"]).post(
        f"/teams/{team['team']}/settings", data={"lock_after_days": "7"}
    )
    response = client_for(app, team["member"]).post(f"/entries/{entry}/delete")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(TimeEntry, entry) is not None


def test_a_user_in_no_team_is_sent_to_create_one(app: Flask) -> None:
    client = client_for(app, make_user(app, team=False))
    response = client.get("/projects/")
    assert response.status_code == 302 and response.location.endswith("/teams/")
    response = client.post("/teams/", data={"name": "Solo"})
    assert response.status_code == 302
    assert client.get("/projects/").status_code == 200


def test_team_report_on_screen_filtered_by_person_and_project(app: Flask, team) -> None:
    other_project = add_project(app, team["owner"], "Zeus")
    other_task = add_task(app, other_project, "Ops")
    add_entry(app, team["member"], team["task"], MONDAY, minutes=60, note="mia-apollo")
    add_entry(app, team["member"], other_task, MONDAY, minutes=30, note="mia-zeus")
    add_entry(app, team["manager"], team["task"], MONDAY, minutes=120, note="max-apollo")
    manager = client_for(app, team["manager"])
    base = "/reports/team?date_from=2026-11-01&date_to=2026-11-30"
    page = manager.get(base).get_data(as_text=True)
    assert all(note in page for note in ("mia-apollo", "mia-zeus", "max-apollo"))
    assert "3:30 in 3 entries" in page
    page = manager.get(f"{base}&person={team['member']}").get_data(as_text=True)
    assert "mia-apollo" in page and "mia-zeus" in page and "max-apollo" not in page
    page = manager.get(f"{base}&person={team['member']}&project={team['project']}").get_data(
        as_text=True
    )
    assert "mia-apollo" in page and "mia-zeus" not in page and "1:00 in 1 entries" in page
    assert client_for(app, team["member"]).get(base).status_code == 403


def test_team_csv_export_has_the_selection_with_a_person_column(app: Flask, team) -> None:
    from services.reports import exports

    add_entry(app, team["member"], team["task"], MONDAY, minutes=60, note="mia")
    add_entry(app, team["manager"], team["task"], MONDAY, minutes=120, note="max")
    with app.app_context():
        report = Report(
            user_id=team["manager"],
            date_from=MONDAY,
            date_to=MONDAY,
            team_id=team["team"],
            person_id=team["member"],
        )
        db.session.add(report)
        db.session.commit()
        assert exports.run_export(report.id) == "done: 1 rows"
        text = exports.finished_file(report).read_text()
    header, row = text.splitlines()[:2]
    assert header.endswith(",person") and row.endswith(",mia,Mia")


def test_a_member_cannot_ask_for_a_team_export(app: Flask, team) -> None:
    from services import access
    from services.reports import exports

    with app.app_context(), pytest.raises(access.NotAllowed):
        exports.request_export(team["member"], MONDAY, MONDAY, team_id=team["team"])
