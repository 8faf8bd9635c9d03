"""The teams API (``routes/api/teams.py``, ``routes/api/approvals.py``): per-role answers
(member, manager, admin, owner), another team's ids are 404, approval steps through the same
service as the web pages, and a write in a locked week is a 409 problem. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Flask

from tests.api_support import Owner, assert_problem, bearer, make_token, owner_with_task
from tests.conftest import make_user
from tests.team_support import add_member, team_of

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
