"""The permission matrix: every route of ``app.url_map`` x each role (owner, admin, manager,
member) x the object's team (own team, another team, no team at all), with the answer expected.

The answers, chosen once and written here:

- an object (project, task, entry, report, team, member, invitation) of a team the user is not
  in, or another person's entry or report, is **404**: its existence is not told;
- inside the user's own team, a role too low for the action is **403** (the user sees the
  object, so hiding it would tell nothing);
- the manager's pages about one person (``/team/people/<id>/...``) check the role first, as
  they are for managers whatever the id: a member gets 403 for any id, which tells nothing;
- a user in no team who opens a page that works on "the current team" is **sent to the team
  page** (302 to /teams/) to create or join one;
- allowed is any answer the route gives to a permitted user (200, a redirect after the action,
  or 422 for a form it did not like): what matters here is that the policy let it through.

Each route names the ability it needs (``services/access.py`` ABILITIES, by role). A new route
fails ``test_every_route_is_in_the_matrix`` until it is added here. Every POST runs on a fresh
copy of the database, so one action never changes what the next one finds.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask, url_for
from werkzeug.routing import Rule

from extensions import db
from models import Invitation, Membership, Report, User
from models.columns import utcnow
from services.reports.exports import final_name, reports_folder
from services.teams.invitations import hash_token
from tests.conftest import dispose, login, make_app, make_user
from tests.team_support import add_member, team_of
from tests.timesheet_support import add_entry, add_project, add_task

ROLES = ("owner", "admin", "manager", "member")
DAY = date(2026, 11, 16)

# How a route reaches its data:
#   "open"    - no data of a team (public pages, the account pages, invitation links by token)
#   "mine"    - the signed-in user's own data (own week, own entries, own reports, my teams)
#   "current" - the current team, with no id in the URL (a user in no team is sent to /teams/)
#   "object"  - an object named by an id in the URL: another team's (or person's) is a 404
#   "person"  - a person of the current team named in the URL (a manager's view)
#   "self"    - rows only their owner ever sees (API tokens, sign-in sessions): listed here, proven
#               per owner in tests/test_api_auth.py and tests/test_auth_sessions.py
#   "api"     - the JSON API: token-authenticated, its answers per token and role are proven in
#               tests/test_api_*.py (it calls the same services, so the same policy)
OPEN, MINE, CURRENT, OBJECT, PERSON = "open", "mine", "current", "object", "person"
SELF, API = "self", "api"
NOT_WALKED = (SELF, API)  # listed (a new route still fails the test), proven elsewhere

# endpoint -> (how it reaches its data, the lowest role allowed; None: no team role needed)
MATRIX: dict[str, tuple[str, str | None]] = {
    "static": (OPEN, None),
    "site.index": (OPEN, None),
    "site.healthz": (OPEN, None),
    "site.readyz": (OPEN, None),
    "auth.login": (OPEN, None),
    "auth.logout": (OPEN, None),
    "auth.register": (OPEN, None),
    "auth.reset_request": (OPEN, None),
    "auth.reset_password": (OPEN, None),
    "auth.check_mail": (OPEN, None),
    "auth.confirm_email": (OPEN, None),
    "auth.resend_confirmation": (OPEN, None),
    "auth.change_password": (MINE, None),
    "auth.change_email": (MINE, None),
    "auth.confirm_email_change": (OPEN, None),
    "dashboard.week": (MINE, None),
    # The grid shows the user's own time; rows to add come from the current team (none
    # without a team), so a user in no team still sees their past weeks.
    "dashboard.grid": (MINE, None),
    "timer.start": (MINE, None),
    "timer.stop": (MINE, None),
    "timer.discard": (MINE, None),
    "settings.index": (MINE, None),
    "settings.zone_offer": (MINE, None),
    "settings.my_data_csv": (MINE, None),
    "settings.delete_account": (MINE, None),
    "entries.index": (MINE, None),
    "entries.create": (MINE, None),
    "entries.edit": (OBJECT, None),
    "entries.delete": (OBJECT, None),  # GET: the confirmation page; POST: the delete
    "entries.undo_delete": (MINE, None),
    "reports.index": (MINE, None),
    "reports.create": (MINE, None),
    "reports.show": (OBJECT, None),
    "reports.progress": (OBJECT, None),
    "reports.download": (OBJECT, None),
    "reports.team": (CURRENT, "manager"),
    "reports.team_export": (CURRENT, "manager"),
    "projects.index": (CURRENT, "member"),
    "projects.create": (CURRENT, "manager"),
    "projects.show": (OBJECT, "member"),
    "projects.edit": (OBJECT, "manager"),
    "projects.archive": (OBJECT, "manager"),
    "projects.unarchive": (OBJECT, "manager"),
    "projects.create_task": (OBJECT, "manager"),
    "projects.edit_task": (OBJECT, "manager"),
    "projects.close_task": (OBJECT, "manager"),
    "projects.reopen_task": (OBJECT, "manager"),
    "teams.index": (MINE, None),
    "teams.create": (MINE, None),
    "teams.switch": (OBJECT, "member"),
    "teams.show": (OBJECT, "member"),
    "teams.leave": (OBJECT, "member"),
    "teams.invite": (OBJECT, "admin"),
    "teams.revoke": (OBJECT, "admin"),
    "teams.change_role": (OBJECT, "admin"),
    "teams.remove": (OBJECT, "admin"),
    "teams.settings": (OBJECT, "admin"),
    "teams.pass_ownership": (OBJECT, "owner"),
    "teams.delete": (OBJECT, "owner"),
    "teams.invitation": (OPEN, None),
    "teams.accept": (OPEN, None),
    "teams.signup": (OPEN, None),
    "approvals.submit": (CURRENT, "member"),
    "approvals.team_week_page": (CURRENT, "manager"),
    "approvals.person_week": (PERSON, "manager"),
    "approvals.approve": (PERSON, "manager"),
    "approvals.reject": (PERSON, "manager"),
    "approvals.reopen": (PERSON, "admin"),
    "auth.sessions_page": (MINE, None),
    "auth.end_other_sessions": (MINE, None),
    "auth.end_session": (SELF, None),
    "tokens.index": (MINE, None),
    "tokens.create": (MINE, None),
    "tokens.revoke": (SELF, None),
    "api-docs.openapi_json": (OPEN, None),
    "api_docs_page.docs": (OPEN, None),
    "api_approvals.ApproveWeek": (API, "manager"),
    "api_approvals.MyWeekApproval": (API, "member"),
    "api_approvals.PersonWeekApproval": (API, "manager"),
    "api_approvals.RejectWeek": (API, "manager"),
    "api_approvals.SubmitWeek": (API, "member"),
    "api_entries.Entries": (API, None),
    "api_entries.Entry": (API, None),
    "api_projects.Project": (API, "member"),
    "api_projects.Projects": (API, "member"),
    "api_reports.Report": (API, None),
    "api_reports.ReportDownload": (API, None),
    "api_reports.Reports": (API, None),
    "api_tasks.ProjectTasks": (API, "member"),
    "api_tasks.Task": (API, "member"),
    "api_invitations.Invitation": (API, "admin"),
    "api_invitations.Invitations": (API, "admin"),
    "api_members.Member": (API, "member"),  # read: member; change, remove: admin
    "api_members.MemberOwner": (API, "owner"),
    "api_teams.LeaveTeam": (API, "member"),
    "api_teams.Team": (API, "member"),  # read: member; delete: owner
    "api_teams.TeamMembers": (API, "member"),
    "api_teams.Teams": (API, None),  # create: anyone signed in
    "api_timer.RunningTimer": (API, None),
    "api_timer.StopTimer": (API, None),
    "api_weeks.Week": (API, None),
}

FORM = {
    "name": "Matrix",
    "email": "someone@example.com",
    "role": "member",
    "lock_after_days": "3",
    "comment": "please fix",
    "week": "2026-W47",
    "date_from": "2026-11-01",
    "date_to": "2026-11-30",
    "day": "2026-11-17",
    "start": "10:00",
    "duration": "0:30",
    "end": "",
    "note": "matrix",
    "password": "correct horse battery",
    "password_confirm": "correct horse battery",
    "current_password": "correct horse battery",
}


@dataclass
class World:
    path: Path  # the prepared database file
    users: dict[str, int]  # role -> user in the own team; "other" (owner of B); "none"
    own: dict[str, object]  # ids in the own team (A) for each acting role
    other: dict[str, object]  # ids in the other team (B)


def add_report(app: Flask, user_id: int) -> int:
    with app.app_context():
        report = Report(user_id=user_id, date_from=DAY, date_to=DAY, status="done")
        db.session.add(report)
        db.session.flush()
        report.file_name = final_name(report.id)
        db.session.commit()
        return report.id


def add_invitation(app: Flask, team_id: int, token: str) -> int:
    with app.app_context():
        invitation = Invitation(
            team_id=team_id,
            email="invited@example.com",
            role="member",
            token_hash=hash_token(token),
            expires_at=utcnow() + timedelta(days=3),
        )
        db.session.add(invitation)
        db.session.commit()
        return invitation.id


def build_world(app: Flask, path: Path) -> World:
    users = {"owner": make_user(app, email="owner@example.com", name="Owner")}
    team_a = team_of(app, users["owner"])
    project_a = add_project(app, users["owner"], "Apollo")
    task_a = add_task(app, project_a, "Design")
    memberships = {}
    for role in ("admin", "manager", "member"):
        users[role] = make_user(app, email=f"{role}@example.com", name=role.title(), team=False)
        memberships[role] = add_member(app, team_a, users[role], role)
        with app.app_context():
            db.session.get(User, users[role]).current_team_id = team_a
            db.session.commit()
    entries = {role: add_entry(app, users[role], task_a, DAY) for role in ROLES}
    reports = {role: add_report(app, users[role]) for role in ROLES}
    users["other"] = make_user(app, email="other@example.com", name="Other")
    team_b = team_of(app, users["other"])
    project_b = add_project(app, users["other"], "Secret")
    task_b = add_task(app, project_b, "Hidden")
    users["none"] = make_user(app, email="none@example.com", name="Nobody", team=False)
    with app.app_context():
        other_membership = db.session.scalar(
            db.select(Membership.id).where(Membership.user_id == users["other"])
        )
    own = {
        "team_id": team_a,
        "project_id": project_a,
        "task_id": task_a,
        "membership_id": memberships["member"],
        "invitation_id": add_invitation(app, team_a, "a" * 43),
        "token": "a" * 43,
        "user_id": users["member"],
        "entries": entries,
        "reports": reports,
    }
    other = {
        "team_id": team_b,
        "project_id": project_b,
        "task_id": task_b,
        "membership_id": other_membership,
        "invitation_id": add_invitation(app, team_b, "b" * 43),
        "token": "b" * 43,
        "user_id": users["other"],
        "entry_id": add_entry(app, users["other"], task_b, DAY),
        "report_id": add_report(app, users["other"]),
    }
    dispose(app)
    shutil.copyfile(path, path.with_suffix(".world"))
    return World(path.with_suffix(".world"), users, own, other)


@pytest.fixture(scope="module")
def world(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("matrix")
    path = folder / "world.sqlite3"
    shutil.copyfile(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", folder / "instance")
    yield build_world(app, path)


@pytest.fixture
def matrix_app(world: World, tmp_path: Path) -> Iterator[Flask]:
    database = tmp_path / "matrix.sqlite3"
    shutil.copyfile(world.path, database)
    app = make_app(f"sqlite:///{database}", tmp_path / "instance")
    app.config["matrix_database"] = (world.path, database)
    with app.app_context():
        folder = reports_folder()
    folder.mkdir(parents=True)
    for report_id in [*world.own["reports"].values(), world.other["report_id"]]:
        (folder / final_name(report_id)).write_text("date\n")
    yield app
    dispose(app)


def reset(app: Flask) -> None:
    """Back to the prepared world (after a POST that may have changed it)."""
    source, target = app.config["matrix_database"]
    dispose(app)
    shutil.copyfile(source, target)


def rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def ids_for(world: World, role: str, case: str) -> dict[str, object]:
    """The URL values: the own team's objects (the acting role's own entry and report), the
    other team's, or, for a user in no team, the own team's objects (member's entry)."""
    if case == "other":
        return {**world.other, "filename": "style.css"}
    owner_of_data = role if case == "own" else "member"
    values = {k: v for k, v in world.own.items() if k not in ("entries", "reports")}
    values["entry_id"] = world.own["entries"][owner_of_data]
    values["report_id"] = world.own["reports"][owner_of_data]
    return {**values, "filename": "style.css"}


def expected(endpoint: str, role: str, case: str) -> str:
    """'ok', '403', '404' or 'teams' (302 to /teams/)."""
    reach, needed = MATRIX[endpoint]
    if reach in (OPEN, MINE):
        return "ok"
    if case == "none":
        return "404" if reach == OBJECT else "teams"
    allowed = needed is None or ROLES.index(role) <= ROLES.index(needed)
    if case == "other" and reach == OBJECT:
        return "404"
    if case == "other" and reach == PERSON:
        # The page itself is for managers: a lower role is refused whatever the id (which so
        # tells nothing); a manager asking for someone outside the team gets 404.
        return "404" if allowed else "403"
    return "ok" if allowed else "403"


def answer(response, reach: str) -> str:
    code = response.status_code
    if reach == OPEN and code != 500:
        # Public pages and links: whatever they answer (/readyz says 503 with no worker), the
        # policy is not involved; only a crash counts.
        return "ok"
    location = response.headers.get("Location", "")
    if code == 302 and location.endswith("/teams/") and "teams" in location:
        return "teams-redirect"
    if code in (403, 404):
        return str(code)
    if code in (200, 201, 302, 303, 422):
        return "ok"
    return f"unexpected {code}"


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"new routes: say in MATRIX who may use them: {missing}"
    assert not sorted(set(MATRIX) - endpoints), "MATRIX names routes that no longer exist"


CASES = [(role, "own") for role in ROLES] + [(role, "other") for role in ROLES] + [("-", "none")]


@pytest.mark.parametrize(("role", "case"), CASES, ids=[f"{r}-{c}" for r, c in CASES])
def test_every_route_answers_as_the_matrix_says(
    matrix_app: Flask, world: World, role: str, case: str
) -> None:
    acting = world.users["none"] if case == "none" else world.users[role]
    values = ids_for(world, role, case)
    wrong = []
    checked = 0
    for rule in rules(matrix_app):
        if MATRIX[rule.endpoint][0] in NOT_WALKED:
            continue
        with matrix_app.test_request_context():
            url = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
        want = expected(rule.endpoint, role, case)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            client = matrix_app.test_client()
            login(client, matrix_app, acting)
            response = client.open(url, method=method, data=FORM)
            got = answer(response, MATRIX[rule.endpoint][0])
            response.close()
            if want == "teams":
                ok = got == "teams-redirect"
            elif want == "ok" and MATRIX[rule.endpoint][0] != CURRENT:
                ok = got in ("ok", "teams-redirect")  # leaving a team lands on /teams/
            else:
                ok = got == want
            if not ok:
                wrong.append(f"{method} {url} ({rule.endpoint}): expected {want}, got {got}")
            checked += 1
            if method == "POST":
                reset(matrix_app)
    assert checked >= 60
    assert wrong == []
