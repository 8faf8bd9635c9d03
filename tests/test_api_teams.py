"""The teams API (``routes/api/teams.py``, ``routes/api/approvals.py``): per-role answers
(member, manager, admin, owner), another team's ids are 404, approval steps through the same
service as the web pages, and a write in a locked week is a 409 problem. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Flask

from tests.api_support import Owner, any_tag, assert_problem, bearer, make_token, owner_with_task
from tests.conftest import make_user
from tests.team_support import add_member, team_of
from tests.timesheet_support import add_entry

MONDAY = date(2026, 11, 16)
WEEK = "2026-W47"


@dataclass(frozen=True)
class Team:
    owner: Owner
    team_id: int
    other_team_id: int
    users: dict[str, int]  # role -> user id
    memberships: dict[str, int]  # role -> membership id
    headers: dict[str, dict[str, str]]  # role (and "outsider") -> bearer header


def a_team(app: Flask) -> Team:
    """Ada owns a team with a member, a manager and an admin; Eve, an outsider, owns her own."""
    owner = owner_with_task(app)
    team_id = team_of(app, owner.user_id)
    users = {"owner": owner.user_id}
    memberships: dict[str, int] = {}
    headers = {"owner": owner.headers}
    for role in ("member", "manager", "admin"):
        user_id = make_user(app, email=f"{role}@example.com", name=role.title(), team=False)
        memberships[role] = add_member(app, team_id, user_id, role)
        users[role] = user_id
        headers[role] = bearer(make_token(app, user_id))
    outsider = make_user(app, email="eve@example.com", name="Eve")
    headers["outsider"] = bearer(make_token(app, outsider))
    users["outsider"] = outsider
    return Team(owner, team_id, team_of(app, outsider), users, memberships, headers)


# --- Teams and members ------------------------------------------------------------------------


def test_teams_list_and_read_with_the_callers_role(any_app: Flask) -> None:
    team = a_team(any_app)
    client = any_app.test_client()
    for role in ("member", "manager", "admin", "owner"):
        listed = client.get("/api/v1/teams", headers=team.headers[role])
        assert listed.status_code == 200
        assert [(t["id"], t["role"]) for t in listed.get_json()] == [(team.team_id, role)]
        read = client.get(f"/api/v1/teams/{team.team_id}", headers=team.headers[role])
        assert read.get_json() == listed.get_json()[0]
    assert_problem(
        client.get(f"/api/v1/teams/{team.other_team_id}", headers=team.headers["member"]), 404
    )
    outsider = client.get("/api/v1/teams", headers=team.headers["outsider"]).get_json()
    assert [t["id"] for t in outsider] == [team.other_team_id]


def test_members_are_read_by_every_member_and_hidden_from_others(any_app: Flask) -> None:
    team = a_team(any_app)
    client = any_app.test_client()
    for role in ("member", "manager", "admin", "owner"):
        answer = client.get(f"/api/v1/teams/{team.team_id}/members", headers=team.headers[role])
        assert answer.status_code == 200
        people = {p["user_id"]: p["role"] for p in answer.get_json()}
        assert people == {team.users[r]: r for r in ("member", "manager", "admin", "owner")}
    hidden = client.get(f"/api/v1/teams/{team.team_id}/members", headers=team.headers["outsider"])
    assert_problem(hidden, 404)
    missing = client.get("/api/v1/teams/2147483647/members", headers=team.headers["owner"])
    assert_problem(missing, 404)


# --- Week approvals ---------------------------------------------------------------------------


def person_url(team: Team, step: str = "", person: str = "member") -> str:
    return f"/api/v1/teams/{team.team_id}/people/{team.users[person]}/weeks/{WEEK}{step}"


def test_submit_approve_and_history_per_role(any_app: Flask) -> None:
    team = a_team(any_app)
    client = any_app.test_client()
    member = team.headers["member"]
    mine = client.get(f"/api/v1/weeks/{WEEK}/approval", headers=member).get_json()
    assert (mine["status"], mine["team_id"], mine["events"]) == ("open", team.team_id, [])
    submitted = client.post(f"/api/v1/weeks/{WEEK}/submit", json={}, headers=member)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    again = client.post(f"/api/v1/weeks/{WEEK}/submit", json={}, headers=member)
    assert "submitted already" in assert_problem(again, 409)["detail"]
    # A member may not look at or approve a week; another team's manager does not see it.
    assert_problem(client.get(person_url(team), headers=member), 403)
    assert_problem(client.post(person_url(team, "/approve"), json={}, headers=member), 403)
    assert_problem(
        client.post(person_url(team, "/approve"), json={}, headers=team.headers["outsider"]), 404
    )
    stranger = f"/api/v1/teams/{team.team_id}/people/{team.users['outsider']}/weeks/{WEEK}"
    assert_problem(client.get(stranger, headers=team.headers["manager"]), 404)
    seen = client.get(person_url(team), headers=team.headers["manager"])
    assert seen.get_json()["status"] == "submitted"
    approved = client.post(person_url(team, "/approve"), json={}, headers=team.headers["manager"])
    body = approved.get_json()
    assert approved.status_code == 200 and body["status"] == "approved"
    assert body["locked_because"] == "approved"
    assert [(e["action"], e["actor_name"]) for e in body["events"]] == [
        ("submitted", "Member"),
        ("approved", "Manager"),
    ]
    twice = client.post(person_url(team, "/approve"), json={}, headers=team.headers["admin"])
    assert_problem(twice, 409)


def test_send_back_needs_a_comment(any_app: Flask) -> None:
    team = a_team(any_app)
    client = any_app.test_client()
    client.post(f"/api/v1/weeks/{WEEK}/submit", json={}, headers=team.headers["member"])
    manager = team.headers["manager"]
    empty = client.post(person_url(team, "/reject"), json={"comment": "  "}, headers=manager)
    assert "Say what needs to change" in assert_problem(empty, 422)["errors"]["comment"][0]
    sent = client.post(person_url(team, "/reject"), json={"comment": "Fix Tue"}, headers=manager)
    assert sent.get_json()["status"] == "rejected"
    assert sent.get_json()["events"][-1]["comment"] == "Fix Tue"
    mine = client.get(f"/api/v1/weeks/{WEEK}/approval", headers=team.headers["member"])
    assert mine.get_json()["status"] == "rejected"
    bad = client.get("/api/v1/weeks/2026-W99/approval", headers=team.headers["member"])
    assert "week" in assert_problem(bad, 422)["errors"]


def test_entry_writes_in_a_locked_week_are_a_409(any_app: Flask) -> None:
    team = a_team(any_app)
    owner = team.owner
    client = any_app.test_client()
    entry_id = add_entry(any_app, owner.user_id, owner.task_id, MONDAY)
    client.post(f"/api/v1/weeks/{WEEK}/submit", json={}, headers=owner.headers)
    approve = f"/api/v1/teams/{team.team_id}/people/{owner.user_id}/weeks/{WEEK}/approve"
    assert client.post(approve, json={}, headers=team.headers["manager"]).status_code == 200
    new = {"task_id": owner.task_id, "started_at": "2026-11-17T09:00:00+00:00", "minutes": 30}
    created = client.post("/api/v1/entries", json=new, headers=owner.headers)
    assert "is locked (approved)" in assert_problem(created, 409)["detail"]
    tagged = any_tag(owner.headers)
    changed = client.patch(f"/api/v1/entries/{entry_id}", json={"minutes": 5}, headers=tagged)
    assert_problem(changed, 409)
    deleted = client.delete(f"/api/v1/entries/{entry_id}", headers=tagged)
    assert_problem(deleted, 409)
    assert client.get(f"/api/v1/entries/{entry_id}", headers=owner.headers).status_code == 200
