"""The cached week body is never older than the data: every kind of write shows on the next
visit, also when another process (another web worker) made it. And a revisit with no write in
between is served from the cache with no query beyond loading the user.

A new kind of write to what the week shows (a timer, a team approval...) gets a case in
``WRITES`` below.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from routes.dashboard.week_cache import CSRF_SLOT, EXTENSION_KEY
from tests.conftest import dispose, login, make_app
from tests.test_query_counts import counted_queries
from tests.timesheet_support import add_entry, add_project, add_task, entry_form, signed_in

MONDAY = date(2026, 11, 16)
WEEK = "/week?week=2026-W47"


def week_page(client: FlaskClient) -> str:
    response = client.get(WEEK)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def week_body(client: FlaskClient) -> str:
    """The cached part only: from the page head to the end of <main> (no flash messages, which
    would name a renamed project too) and with the CSRF token, new each second, left out."""
    page = week_page(client)
    body = page[page.index('<header class="page-head">') : page.index("</main>")]
    return re.sub(r'name="csrf_token" value="[^"]*"', "", body)


def setup_week(app: Flask) -> tuple[FlaskClient, dict[str, int]]:
    client, user_id = signed_in(app)
    project = add_project(app, user_id, "Apollo")
    task = add_task(app, project, "Design")
    entry = add_entry(app, user_id, task, MONDAY, "09:00", 60, note="kick-off")
    return client, {"user": user_id, "project": project, "task": task, "entry": entry}


def create_entry(client: FlaskClient, ids: dict[str, int]) -> str:
    form = entry_form(ids["task"], day="2026-11-17", start="14:00", duration="0:45")
    assert client.post("/entries/new", data=form).status_code == 302
    return "14:00\u201314:45"


def edit_entry(client: FlaskClient, ids: dict[str, int]) -> str:
    form = entry_form(ids["task"], day="2026-11-16", start="09:00", duration="1:00", note="edited")
    assert client.post(f"/entries/{ids['entry']}/edit", data=form).status_code == 302
    return "edited"


def delete_entry(client: FlaskClient, ids: dict[str, int]) -> str:
    assert client.post(f"/entries/{ids['entry']}/delete").status_code == 302
    return "Nothing logged this week yet."  # the only entry is gone


def rename_project(client: FlaskClient, ids: dict[str, int]) -> str:
    response = client.post(f"/projects/{ids['project']}/edit", data={"name": "Artemis"})
    assert response.status_code == 302
    return "Artemis"


def rename_task(client: FlaskClient, ids: dict[str, int]) -> str:
    assert client.post(f"/tasks/{ids['task']}/edit", data={"name": "Build"}).status_code == 302
    return "Build"


def save_grid(client: FlaskClient, ids: dict[str, int]) -> str:
    """The week grid's Save: Monday's hour becomes two, Wednesday gets 1:30 (week total 3:30)."""
    cells = {f"cell-{ids['task']}-2026-11-16": "2", f"cell-{ids['task']}-2026-11-18": "1:30"}
    response = client.post("/week/grid?week=2026-W47", data={"save": "1", **cells})
    assert response.status_code == 302, response.get_data(as_text=True)
    return '<td class="num week-total">3:30</td>'


WRITES: dict[str, Callable[[FlaskClient, dict[str, int]], str]] = {
    "entry created": create_entry,
    "entry edited": edit_entry,
    "entry deleted": delete_entry,
    "project renamed": rename_project,
    "task renamed": rename_task,
    "grid saved": save_grid,
}


@pytest.mark.parametrize("write", list(WRITES))
def test_the_week_shows_every_write_at_once(any_app: Flask, write: str) -> None:
    client, ids = setup_week(any_app)
    before = week_body(client)
    assert week_body(client) == before  # the second visit comes from the cache
    assert any_app.extensions[EXTENSION_KEY].hits >= 1
    expected = WRITES[write](client, ids)
    assert expected not in before
    for visit in ("first", "second"):  # the second one may come from the cache again
        assert expected in week_body(client), f"{write}: stale week on the {visit} visit"


def test_a_write_by_another_process_shows_too(sqlite_template: Path, tmp_path: Path) -> None:
    """Two apps on one database stand for two web workers, each with its own cache."""
    database = tmp_path / "shared.sqlite3"
    shutil.copyfile(sqlite_template, database)
    url = f"sqlite:///{database}"
    one = make_app(url, tmp_path / "one")
    two = make_app(url, tmp_path / "two")
    client_one, ids = setup_week(one)
    client_two = two.test_client()
    login(client_two, two, ids["user"])
    assert "Apollo" in week_body(client_one) and "Apollo" in week_body(client_one)
    rename_project(client_two, ids)
    assert "Artemis" in week_body(client_one) and "Apollo" not in week_body(client_one)
    dispose(one)
    dispose(two)


def test_a_revisit_runs_only_the_users_query(app: Flask) -> None:
    client, _ = setup_week(app)
    week_page(client)
    with counted_queries(app) as statements:
        page = week_page(client)
    # The session with its user (and data version), current team and running timer; the timer
    # strip's task choices are kept under the data version too: no week rows, no approval.
    assert len(statements) == 1, statements
    assert "timers" in statements[0]
    assert "kick-off" in page


def test_the_cached_body_carries_each_sessions_own_csrf_token(app: Flask) -> None:
    first, ids = setup_week(app)
    second = app.test_client()
    login(second, app, ids["user"])
    one, two = week_page(first), week_page(second)
    token = 'name="csrf_token" value="'
    assert CSRF_SLOT not in one and CSRF_SLOT not in two
    assert one.split(token)[1].split('"')[0] != two.split(token)[1].split('"')[0]


def test_another_user_never_gets_my_week(app: Flask) -> None:
    mine, _ = setup_week(app)
    theirs, _ = signed_in(app, email="grace@example.com")
    assert "kick-off" in week_page(mine)
    assert "kick-off" not in week_page(theirs)


def test_the_cache_is_bounded(app: Flask) -> None:
    app.config["WEEK_CACHE_MAX_BYTES"] = 30_000
    client, _ = setup_week(app)
    for number in range(30, 50):
        assert client.get(f"/week?week=2026-W{number}").status_code == 200
    cache = app.extensions[EXTENSION_KEY]
    assert 0 < cache.bytes <= 30_000


# --- The week's approval and the current team (they are in the cached body too) ---------------


def with_a_reviewer(app: Flask, user_id: int, name: str = "Ada") -> tuple[FlaskClient, int]:
    """An admin of the user's team, working in it: may approve, send back and reopen."""
    from tests.team_support import add_member, team_of

    team = team_of(app, user_id)
    boss, boss_id = signed_in(app, email="boss@example.com", name=name)
    add_member(app, team, boss_id, "admin")
    assert boss.post(f"/teams/{team}/switch").status_code == 302
    return boss, team


def step(client: FlaskClient, url: str, comment: str = "") -> None:
    response = client.post(url, data={"week": "2026-W47", "comment": comment})
    assert response.status_code == 302, response.get_data(as_text=True)


def shows(client: FlaskClient, *texts: str) -> None:
    for visit in ("first", "second"):  # the second one may come from the cache
        body = week_body(client)
        for text in texts:
            assert text in body, f"{text!r} missing on the {visit} visit"


def test_each_approval_step_shows_at_once(any_app: Flask) -> None:
    client, ids = setup_week(any_app)
    boss, _ = with_a_reviewer(any_app, ids["user"])
    person = f"/team/people/{ids['user']}/week"
    shows(client, "status-open", "Submit this week for approval")
    step(client, "/week/submit")
    shows(client, "status-submitted")
    step(boss, f"{person}/reject", "split the kick-off")
    shows(client, "status-rejected", "split the kick-off")
    # Submitted again: the same status and approval as after the first submission, so only the
    # data version tells this body (with the comment in its history) from the first one.
    step(client, "/week/submit")
    shows(client, "status-submitted", "split the kick-off")
    step(boss, f"{person}/approve")
    shows(client, "status-approved", '<span class="muted">locked</span>')
    assert f"/entries/{ids['entry']}/edit" not in week_body(client)
    step(boss, f"{person}/reopen", "one more day")
    shows(client, "status-reopened", "one more day", f"/entries/{ids['entry']}/edit")


def test_switching_teams_shows_at_once(any_app: Flask) -> None:
    from tests.team_support import add_member
    from tests.timesheet_support import make_user

    client, ids = setup_week(any_app)
    other_owner = make_user(any_app, email="grace@example.com", name="Grace")
    with any_app.app_context():
        from tests.team_support import personal_team_id

        other = personal_team_id(other_owner)
    add_member(any_app, other, ids["user"], "member")
    before = week_body(client)
    assert "Approval in Grace" not in before
    assert client.post(f"/teams/{other}/switch").status_code == 302
    shows(client, "Approval in Grace")


def test_a_change_of_the_teams_days_of_grace_shows_at_once(any_app: Flask) -> None:
    """The grace lock is not a write to the member's data: the team's days are in the key."""
    from tests.team_support import team_of

    client, ids = setup_week(any_app)
    add_entry(any_app, ids["user"], ids["task"], date(2026, 9, 28), "09:00", 30, note="old")
    old_week = "/week?week=2026-W40"
    first = client.get(old_week).get_data(as_text=True)
    assert "days of grace" not in first and "old" in first
    client.get(old_week)  # cached now
    team = team_of(any_app, ids["user"])
    response = client.post(f"/teams/{team}/settings", data={"lock_after_days": "3"})
    assert response.status_code == 302
    for _visit in ("first", "second"):
        page = client.get(old_week).get_data(as_text=True)
        assert "3 days of grace" in page
        assert '<span class="muted">locked</span>' in page


# --- The everyday writers: the timer, Undo, the display settings, a rename seen by others ------


def test_stopping_the_timer_shows_its_entry_at_once(any_app: Flask) -> None:
    """The timer's stop creates entries (services/timesheet/timer.py:stop_timer) on today's
    date: the current week's body must show them on the next visit."""
    from datetime import UTC, datetime, timedelta

    from extensions import db
    from models import Timer

    client, ids = setup_week(any_app)
    with any_app.app_context():
        started = datetime.now(UTC) - timedelta(minutes=40)
        db.session.add(
            Timer(user_id=ids["user"], task_id=ids["task"], note="timed-work", started_at=started)
        )
        db.session.commit()
    this_week = client.get("/week").get_data(as_text=True)
    assert "timed-work" in this_week  # in the timer strip, outside the body
    body = this_week[this_week.index('<header class="page-head">') : this_week.index("</main>")]
    assert "timed-work" not in body
    client.get("/week")  # cached now
    assert client.post("/timer/stop", data={"next": "/week"}).status_code == 302
    for visit in ("first", "second"):
        page = client.get("/week").get_data(as_text=True)
        body = page[page.index('<header class="page-head">') : page.index("</main>")]
        assert "timed-work" in body, f"the stopped timer's entry missing on the {visit} visit"
        assert "Stop timer" not in page  # and the strip no longer shows it running


def test_undo_of_a_delete_shows_at_once(any_app: Flask) -> None:
    client, ids = setup_week(any_app)
    assert "kick-off" in week_body(client)
    assert client.post(f"/entries/{ids['entry']}/delete").status_code == 302
    assert "kick-off" not in week_body(client) and "kick-off" not in week_body(client)
    assert client.post("/entries/undo").status_code == 302
    for visit in ("first", "second"):
        assert "kick-off" in week_body(client), f"the restored entry missing on the {visit} visit"


def settings(name: str = "Ada", **changed: str) -> dict[str, str]:
    form = {"name": name, "timezone": "UTC", "week_start": "0", "clock_24h": "y"}
    form.update(changed)
    return {key: value for key, value in form.items() if value != ""}


DISPLAY_SETTINGS: dict[str, tuple[dict[str, str], str]] = {
    # what is posted, and what the body then shows (the entry is Monday 09:00-10:00 UTC)
    "12-hour clock": (settings(clock_24h=""), "9:00 am\u201310:00 am"),
    "time zone": (settings(timezone="Asia/Tokyo"), "18:00\u201319:00"),
    "first day of the week": (settings(week_start="6"), "Sunday 15 November"),
}


@pytest.mark.parametrize("change", list(DISPLAY_SETTINGS))
def test_a_display_setting_shows_at_once(any_app: Flask, change: str) -> None:
    """The body is drawn with the user's zone, first weekday and clock: saving the settings
    (a write to the user row, which bumps the version) and the key (which holds all three)
    each keep a body drawn with the old ones from being served."""
    client, _ = setup_week(any_app)
    posted, expected = DISPLAY_SETTINGS[change]
    before = week_body(client)
    assert expected not in before and week_body(client) == before
    response = client.post("/settings/", data=posted)
    assert response.status_code == 302, response.get_data(as_text=True)
    for visit in ("first", "second"):
        assert expected in week_body(client), f"{change}: stale week on the {visit} visit"


def test_a_renamed_approver_shows_in_the_members_week_at_once(any_app: Flask) -> None:
    """The approval history in the member's cached body names the approver: the approver's
    rename is a write to the approver's row, not the member's, so it bumps the members whose
    history shows them (services/platform/data_version.py)."""
    client, ids = setup_week(any_app)
    boss, _ = with_a_reviewer(any_app, ids["user"])
    step(client, "/week/submit")
    step(boss, f"/team/people/{ids['user']}/week/approve")
    before = week_body(client)
    assert "Boss Renamed" not in before and week_body(client) == before
    response = boss.post("/settings/", data=settings(name="Boss Renamed"))
    assert response.status_code == 302, response.get_data(as_text=True)
    shows(client, "Boss Renamed")


def test_a_deleted_approvers_name_leaves_the_members_week_at_once(any_app: Flask) -> None:
    """The history names the approver; when their account goes, the database clears the
    events' link to it (ON DELETE SET NULL), a write to no member's row that the after-flush
    hook could not trace back either: the members it named are bumped before the delete."""
    client, ids = setup_week(any_app)
    boss, _ = with_a_reviewer(any_app, ids["user"], name="Bea Boss")
    step(client, "/week/submit")
    step(boss, f"/team/people/{ids['user']}/week/approve")
    before = week_body(client)
    assert "Bea Boss" in before and week_body(client) == before
    response = boss.post("/settings/delete", data={"password": "correct horse battery"})
    assert response.status_code == 302, response.get_data(as_text=True)
    shows(client, "approved</strong> by a former account")
    assert "Bea Boss" not in week_body(client)


def strip(client: FlaskClient) -> str:
    """The timer strip, drawn for every page (outside the cached body)."""
    page = week_page(client)
    return page[page.index('<section class="timerbar"') : page.index("<main>")]


def test_the_timer_strips_task_choices_follow_the_teams_tasks(any_app: Flask) -> None:
    """The strip's choices are kept per (user, data version, team): a task added, renamed or
    closed by someone else in the team bumps every member's version, so the member's strip
    offers it (or stops offering it) at once."""
    from tests.team_support import add_member, team_of

    owner, ids = setup_week(any_app)
    member, member_id = signed_in(any_app, email="mia@example.com")
    team = team_of(any_app, ids["user"])
    add_member(any_app, team, member_id, "member")
    assert member.post(f"/teams/{team}/switch").status_code == 302
    assert "Apollo — Design" in strip(member) and "Apollo — Design" in strip(member)
    added = owner.post(f"/projects/{ids['project']}/tasks", data={"name": "Fresh"})
    assert added.status_code == 302
    for visit in ("first", "second"):
        assert "Apollo — Fresh" in strip(member), f"new task missing on the {visit} visit"
    assert owner.post(f"/tasks/{ids['task']}/close").status_code == 302
    assert "Apollo — Design" not in strip(member)


# --- The team week: cached under the data versions of its people -------------------------------

TEAM_WEEK = "/team/week?week=2026-W47"


def team_week_body(client: FlaskClient) -> str:
    page = client.get(TEAM_WEEK)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return text[text.index('<header class="page-head">') : text.index("</main>")]


def team_setup(app: Flask) -> tuple[FlaskClient, FlaskClient, dict[str, int]]:
    """Ada (the team's owner, 1:00 on Monday) and her admin, who looks at the team week."""
    client, ids = setup_week(app)
    boss, team = with_a_reviewer(app, ids["user"])
    return client, boss, {**ids, "team": team}


def new_entry_in_team(client: FlaskClient, boss: FlaskClient, ids: dict[str, int]) -> str:
    create_entry(client, ids)
    return '<td class="num"><strong>1:45</strong></td>'


def week_submitted(client: FlaskClient, boss: FlaskClient, ids: dict[str, int]) -> str:
    step(client, "/week/submit")
    return "status-submitted"


def week_approved(client: FlaskClient, boss: FlaskClient, ids: dict[str, int]) -> str:
    step(client, "/week/submit")
    step(boss, f"/team/people/{ids['user']}/week/approve")
    return "status-approved"


def project_renamed(client: FlaskClient, boss: FlaskClient, ids: dict[str, int]) -> str:
    return rename_project(client, ids)


def member_renamed(client: FlaskClient, boss: FlaskClient, ids: dict[str, int]) -> str:
    response = client.post("/settings/", data=settings(name="Ada Lovelace"))
    assert response.status_code == 302, response.get_data(as_text=True)
    return "Ada Lovelace"


def member_joined(client: FlaskClient, boss: FlaskClient, ids: dict[str, int]) -> str:
    from tests.team_support import add_member
    from tests.timesheet_support import make_user

    grace = make_user(client.application, email="grace@example.com", name="Grace")
    add_member(client.application, ids["team"], grace)
    return "Grace"


def member_removed(client: FlaskClient, boss: FlaskClient, ids: dict[str, int]) -> str:
    """The boss removes Carl, who logged time this week: he stays, as a former member."""
    from tests.team_support import add_member
    from tests.timesheet_support import make_user

    app = client.application
    carl = make_user(app, email="carl@example.com", name="Carl")
    membership = add_member(app, ids["team"], carl)
    add_entry(app, carl, ids["task"], MONDAY, "11:00", 30)
    assert "Carl" in team_week_body(boss) and "former member" not in team_week_body(boss)
    response = boss.post(f"/teams/{ids['team']}/members/{membership}/remove")
    assert response.status_code == 302, response.get_data(as_text=True)
    return "(former member)"


TEAM_WRITES: dict[str, Callable[[FlaskClient, FlaskClient, dict[str, int]], str]] = {
    "a member's entry": new_entry_in_team,
    "a week submitted": week_submitted,
    "a week approved": week_approved,
    "a project renamed": project_renamed,
    "a member renamed": member_renamed,
    "a member joined": member_joined,
    "a member removed": member_removed,
}


@pytest.mark.parametrize("write", list(TEAM_WRITES))
def test_the_team_week_shows_every_write_at_once(any_app: Flask, write: str) -> None:
    client, boss, ids = team_setup(any_app)
    before = team_week_body(boss)
    hits = any_app.extensions[EXTENSION_KEY].hits
    assert team_week_body(boss) == before
    assert any_app.extensions[EXTENSION_KEY].hits == hits + 1  # the revisit came from the cache
    expected = TEAM_WRITES[write](client, boss, ids)
    assert expected not in before
    for visit in ("first", "second"):  # the second one may come from the cache again
        assert expected in team_week_body(boss), f"{write}: stale team week on the {visit} visit"


def test_a_team_week_revisit_runs_two_queries(app: Flask) -> None:
    """The session's query and the people's versions: the grid itself is not read again."""
    _, boss, _ = team_setup(app)
    team_week_body(boss)
    with counted_queries(app) as statements:
        team_week_body(boss)
    assert len(statements) == 2, statements
