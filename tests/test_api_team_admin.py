"""Team administration through the API (``routes/api/teams.py``, ``members.py``,
``invitations.py``): the same service functions as the team page, so the same rules. For each
write: success, invalid fields (422), another team (404), no token (401), a read-only token
(403), a role too low (403), and the team's state refusing it (409). SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from flask import Flask

from extensions import db
from models import Invitation, Membership, Team
from tests.api_support import any_tag, assert_problem, bearer, fresh, make_token
from tests.auth_support import MAIL_LOGGER, logged_mails
from tests.test_api_teams import Team as Crew
from tests.test_api_teams import a_team
from tests.timesheet_support import add_entry, count

LINK = re.compile(r"https?://[^/\s]+(/invitations/[A-Za-z0-9_\-]+)")


def member_url(crew: Crew, role: str, team_id: int | None = None) -> str:
    return f"/api/v1/teams/{team_id or crew.team_id}/members/{crew.memberships[role]}"


def read_only(app: Flask, crew: Crew, role: str) -> dict[str, str]:
    return bearer(make_token(app, crew.users[role], "read"))


def writes(crew: Crew) -> list[tuple[str, str, dict | None]]:
    """Every team-administration write, on the crew's team (method, path, body)."""
    team = f"/api/v1/teams/{crew.team_id}"
    return [
        ("POST", "/api/v1/teams", {"name": "New"}),
        ("POST", f"{team}/invitations", {"email": "new@example.com", "role": "member"}),
        ("DELETE", f"{team}/invitations/1", None),
        ("PATCH", member_url(crew, "member"), {"role": "manager"}),
        ("DELETE", member_url(crew, "member"), None),
        ("POST", f"{member_url(crew, 'member')}/owner", {}),
        ("POST", f"{team}/leave", {}),
        ("DELETE", team, None),
    ]


def test_writes_need_a_token_with_write_access(any_app: Flask) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    before = (count(any_app, Team), count(any_app, Membership), count(any_app, Invitation))
    for method, path, body in writes(crew):
        anonymous = client.open(path, method=method, json=body)
        assert_problem(anonymous, 401)
        reader = client.open(
            path, method=method, json=body, headers=read_only(any_app, crew, "owner")
        )
        assert "may only read" in assert_problem(reader, 403)["detail"], (method, path)
    after = (count(any_app, Team), count(any_app, Membership), count(any_app, Invitation))
    assert after == before


def test_another_teams_writes_are_404_and_change_nothing(any_app: Flask) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    outsider = any_tag(crew.headers["outsider"])
    before = (count(any_app, Team), count(any_app, Membership), count(any_app, Invitation))
    for method, path, body in writes(crew)[1:]:  # [0] creates a team of one's own
        answer = client.open(path, method=method, json=body, headers=outsider)
        assert_problem(answer, 404)
    for path in (f"/api/v1/teams/{crew.team_id}/invitations", member_url(crew, "member")):
        assert_problem(client.get(path, headers=outsider), 404)
    # The caller's own team, but a member of another team: 404 too.
    foreign = f"/api/v1/teams/{crew.team_id}/members/{own_membership(any_app, crew)}"
    assert_problem(client.get(foreign, headers=crew.headers["owner"]), 404)
    after = (count(any_app, Team), count(any_app, Membership), count(any_app, Invitation))
    assert after == before


def own_membership(app: Flask, crew: Crew) -> int:
    """The outsider's membership in their own team."""
    with app.app_context():
        return db.session.scalar(
            db.select(Membership.id).where(Membership.user_id == crew.users["outsider"])
        )


# --- Teams --------------------------------------------------------------------------------------


def test_create_a_team(any_app: Flask) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    member = crew.headers["member"]
    created = client.post("/api/v1/teams", json={"name": "  Night   shift "}, headers=member)
    assert created.status_code == 201, created.get_json()
    team = created.get_json()
    assert (team["name"], team["role"]) == ("Night shift", "owner")
    assert created.headers["Location"].endswith(f"/api/v1/teams/{team['id']}")
    assert client.get(created.headers["Location"], headers=member).get_json() == team
    empty = assert_problem(client.post("/api/v1/teams", json={"name": " "}, headers=member), 422)
    assert empty["errors"] == {"name": ["Enter a name for the team."]}
    nul = client.post(
        "/api/v1/teams", json={"name": "a\x00b"}, headers=member
    )  # found by the fuzzer
    assert "control or invisible" in assert_problem(nul, 422)["errors"]["name"][0]
    long = client.post("/api/v1/teams", json={"name": "x" * 500}, headers=member)
    assert "characters or fewer" in assert_problem(long, 422)["errors"]["name"][0]
    assert (
        "name"
        in assert_problem(client.post("/api/v1/teams", json={}, headers=member), 422)["errors"]
    )


def test_leave_and_delete_a_team(any_app: Flask) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    team = f"/api/v1/teams/{crew.team_id}"
    # Only the owner deletes; logged time keeps the team (409).
    assert_problem(client.delete(team, headers=crew.headers["admin"]), 403)
    add_entry(any_app, crew.owner.user_id, crew.owner.task_id, date(2026, 11, 16))
    assert (
        "logged time"
        in assert_problem(client.delete(team, headers=crew.headers["owner"]), 409)["detail"]
    )
    # The last owner cannot leave; a member can.
    last = client.post(f"{team}/leave", json={}, headers=crew.headers["owner"])
    assert "needs an owner" in assert_problem(last, 409)["detail"]
    left = client.post(f"{team}/leave", json={}, headers=crew.headers["member"])
    assert left.status_code == 204
    assert_problem(client.get(team, headers=crew.headers["member"]), 404)
    # A team without time is deleted by its owner.
    new = client.post("/api/v1/teams", json={"name": "Short"}, headers=crew.headers["manager"])
    new_team = new.headers["Location"]
    assert client.delete(new_team, headers=crew.headers["manager"]).status_code == 204
    assert_problem(client.get(new_team, headers=crew.headers["manager"]), 404)


# --- Members ------------------------------------------------------------------------------------


def test_change_a_role_with_if_match(any_app: Flask) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    url = member_url(crew, "member")
    admin = crew.headers["admin"]
    read = client.get(url, headers=crew.headers["member"])  # every member reads a member
    assert read.status_code == 200 and read.get_json()["role"] == "member"
    changed = client.patch(url, json={"role": "manager"}, headers=fresh(client, url, admin))
    assert changed.status_code == 200 and changed.get_json()["role"] == "manager"
    assert changed.headers["ETag"] != read.headers["ETag"]
    stale = {**admin, "If-Match": read.headers["ETag"]}
    assert_problem(client.patch(url, json={"role": "member"}, headers=stale), 412)
    assert_problem(client.patch(url, json={"role": "member"}, headers=admin), 428)
    invalid = client.patch(url, json={"role": "boss"}, headers=fresh(client, url, admin))
    assert "role" in assert_problem(invalid, 422)["errors"]
    # A manager may not change roles; an admin may not touch the owner or make one.
    manager = fresh(client, url, crew.headers["manager"])
    assert_problem(client.patch(url, json={"role": "member"}, headers=manager), 403)
    owner_url = member_url_of(any_app, crew, "owner")
    to_owner = client.patch(url, json={"role": "owner"}, headers=fresh(client, url, admin))
    assert_problem(to_owner, 403)
    demote = client.patch(
        owner_url, json={"role": "admin"}, headers=fresh(client, owner_url, admin)
    )
    assert_problem(demote, 403)
    # The owner cannot demote themselves while the only owner.
    owner = crew.headers["owner"]
    alone = client.patch(owner_url, json={"role": "admin"}, headers=fresh(client, owner_url, owner))
    assert "needs an owner" in assert_problem(alone, 409)["detail"]
    assert client.get(url, headers=admin).get_json()["role"] == "manager"


def member_url_of(app: Flask, crew: Crew, role: str) -> str:
    with app.app_context():
        membership_id = db.session.scalar(
            db.select(Membership.id).where(
                Membership.team_id == crew.team_id, Membership.user_id == crew.users[role]
            )
        )
    return f"/api/v1/teams/{crew.team_id}/members/{membership_id}"


def test_remove_a_member(any_app: Flask) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    url = member_url(crew, "manager")
    assert_problem(client.delete(url, headers=fresh(client, url, crew.headers["member"])), 403)
    tag = client.get(url, headers=crew.headers["admin"]).headers["ETag"]
    client.patch(url, json={"role": "member"}, headers=fresh(client, url, crew.headers["admin"]))
    assert_problem(client.delete(url, headers={**crew.headers["admin"], "If-Match": tag}), 412)
    assert_problem(client.delete(url, headers=crew.headers["admin"]), 428)
    removed = client.delete(url, headers=fresh(client, url, crew.headers["admin"]))
    assert removed.status_code == 204
    assert_problem(client.get(url, headers=crew.headers["admin"]), 404)
    people = client.get(f"/api/v1/teams/{crew.team_id}/members", headers=crew.headers["admin"])
    former = [p for p in people.get_json() if p["user_id"] == crew.users["manager"]]
    assert former[0]["left_at"] is not None
    owner_url = member_url_of(any_app, crew, "owner")
    last = client.delete(owner_url, headers=fresh(client, owner_url, crew.headers["owner"]))
    assert "needs an owner" in assert_problem(last, 409)["detail"]


def test_pass_ownership(any_app: Flask) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    url = f"{member_url(crew, 'admin')}/owner"
    assert_problem(client.post(url, json={}, headers=crew.headers["admin"]), 403)
    own = f"{member_url_of(any_app, crew, 'owner')}/owner"
    assert (
        "own this team"
        in assert_problem(client.post(own, json={}, headers=crew.headers["owner"]), 409)["detail"]
    )
    passed = client.post(url, json={}, headers=crew.headers["owner"])
    assert passed.status_code == 200 and passed.get_json()["role"] == "owner"
    mine = client.get(f"/api/v1/teams/{crew.team_id}", headers=crew.headers["owner"])
    assert mine.get_json()["role"] == "admin"
    missing = f"/api/v1/teams/{crew.team_id}/members/2147483647/owner"
    assert_problem(client.post(missing, json={}, headers=crew.headers["admin"]), 404)


# --- Invitations --------------------------------------------------------------------------------


def test_invite_list_read_revoke(any_app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    url = f"/api/v1/teams/{crew.team_id}/invitations"
    admin = crew.headers["admin"]
    with caplog.at_level(logging.INFO, logger=MAIL_LOGGER):
        sent = client.post(url, json={"email": "Nia@Example.com", "role": "manager"}, headers=admin)
    assert sent.status_code == 201, sent.get_json()
    invitation = sent.get_json()
    assert (invitation["email"], invitation["role"], invitation["open"]) == (
        "nia@example.com",
        "manager",
        True,
    )
    [mail] = [m for m in logged_mails(caplog) if "To: nia@example.com" in m]
    assert LINK.search(mail)  # the same accept link as from the team page
    location = sent.headers["Location"]
    assert client.get(location, headers=admin).get_json() == invitation
    assert [i["id"] for i in client.get(url, headers=admin).get_json()] == [invitation["id"]]
    # A manager may neither list, read, send nor revoke; an admin invites up to admin.
    manager = crew.headers["manager"]
    assert_problem(client.get(url, headers=manager), 403)
    assert_problem(client.get(location, headers=manager), 403)
    assert_problem(client.post(url, json={"email": "x@example.com"}, headers=manager), 403)
    assert_problem(client.delete(location, headers=manager), 403)
    too_high = client.post(url, json={"email": "o@example.com", "role": "owner"}, headers=admin)
    assert "up to your own role" in assert_problem(too_high, 403)["detail"]
    # Invalid fields and a member already: 422 and 409.
    bad = client.post(url, json={"email": "not an address"}, headers=admin)
    assert "email" in assert_problem(bad, 422)["errors"]
    role = client.post(url, json={"email": "r@example.com", "role": "boss"}, headers=admin)
    assert "role" in assert_problem(role, 422)["errors"]
    member = client.post(url, json={"email": "member@example.com"}, headers=admin)
    assert "member of this team already" in assert_problem(member, 409)["detail"]
    # Revoke: once.
    assert client.delete(location, headers=admin).status_code == 204
    revoked = client.get(location, headers=admin).get_json()
    assert revoked["open"] is False and revoked["revoked_at"] is not None
    assert_problem(client.delete(location, headers=admin), 409)
    assert client.get(url, headers=admin).get_json() == []
    assert_problem(client.get(f"{url}/2147483647", headers=admin), 404)
    assert count(any_app, Invitation) == 1


def test_an_invitation_retried_with_its_key_sends_one_mail(
    any_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    crew = a_team(any_app)
    client = any_app.test_client()
    url = f"/api/v1/teams/{crew.team_id}/invitations"
    headers = {**crew.headers["owner"], "Idempotency-Key": "invite-nia"}
    with caplog.at_level(logging.INFO, logger=MAIL_LOGGER):
        first = client.post(url, json={"email": "nia@example.com"}, headers=headers)
        again = client.post(url, json={"email": "nia@example.com"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert len([m for m in logged_mails(caplog) if "To: nia@example.com" in m]) == 1
    assert count(any_app, Invitation) == 1
