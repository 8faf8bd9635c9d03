"""The week view: ISO weeks, navigation, totals per day, per project and per week."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask

from services.timesheet.dates import BadDate, Week, local_today, parse_week, week_of
from services.timesheet.week import summarize_week
from tests.timesheet_support import add_entry, add_project, add_task, signed_in

MONDAY = date(2026, 11, 16)  # 2026-W47
DASH = "\u2013"  # between the start and the end of an entry


def test_parse_week_accepts_iso_weeks_and_any_day() -> None:
    today = date(2026, 11, 20)
    assert parse_week(None, None, today) == Week(MONDAY)
    assert parse_week("2026-W47", None, today) == Week(MONDAY)
    assert parse_week(None, "2026-11-22", today) == Week(MONDAY)  # a Sunday: same week
    assert parse_week("2026-W01", None, today).monday == date(2025, 12, 29)  # ISO year
    assert parse_week("2020-W53", None, today).monday == date(2020, 12, 28)
    assert Week(MONDAY).label == "2026-W47"
    assert Week(date(2025, 12, 29)).label == "2026-W01"
    assert Week(MONDAY).previous.label == "2026-W46" and Week(MONDAY).next.label == "2026-W48"


@pytest.mark.parametrize(
    ("week", "start"),
    [
        ("2026-47", None),
        ("2026-W54", None),
        ("2026-W00", None),
        ("2025-W53", None),
        ("9999-W52", None),
        ("0001-W01", None),
        ("W47", None),
        (None, "2026-13-01"),
        (None, "tomorrow"),
        (None, "9999-12-31"),
        (None, "0001-01-01"),
    ],
)
def test_parse_week_refuses_malformed_input(week: str | None, start: str | None) -> None:
    with pytest.raises(BadDate):
        parse_week(week, start, date(2026, 11, 20))


@pytest.mark.parametrize(
    "query",
    [
        "week=2026-W54",
        "week=abc",
        "start=2026-02-30",
        "start=9999-12-31",
        "week=9999-W52",
        "start=%00",
    ],
)
def test_malformed_week_in_the_url_is_a_400_page(app: Flask, query: str) -> None:
    client, _ = signed_in(app)
    response = client.get(f"/week?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "400 · Bad Request" in page and "Use the arrows on the week page" in page
    json = client.get(f"/week?{query}", headers={"Accept": "application/json"})
    assert json.status_code == 400 and json.get_json()["error"] == "Bad Request"


def test_week_page_without_arguments_is_the_current_week(app: Flask) -> None:
    client, _ = signed_in(app, timezone="Pacific/Kiritimati")  # UTC+14: "today" is the local day
    page = client.get("/week").get_data(as_text=True)
    this_week = week_of(local_today("Pacific/Kiritimati"))
    assert f"/week?week={this_week.previous.label}" in page
    assert f"/week?week={this_week.next.label}" in page
    assert "This week</span>" in page  # no link to the week we are on
    assert "today</span>" in page


def test_week_page_shows_entries_by_day_with_totals(app: Flask) -> None:
    client, user_id = signed_in(app)
    apollo = add_project(app, user_id, "Apollo")
    zeus = add_project(app, user_id, "Zeus")
    design = add_task(app, apollo, "Design")
    build = add_task(app, zeus, "Build")
    add_entry(app, user_id, design, MONDAY, "09:00", 90, note="kick-off")
    add_entry(app, user_id, build, MONDAY, "11:00", 30)
    add_entry(app, user_id, design, MONDAY + timedelta(days=6), "10:00", 60)  # Sunday: in
    add_entry(app, user_id, design, MONDAY + timedelta(days=7), "10:00", 600)  # next Monday: out
    add_entry(app, user_id, design, MONDAY - timedelta(days=1), "10:00", 600)  # last Sunday: out
    response = client.get("/week?week=2026-W47")
    assert response.status_code == 200
    page = response.get_data(as_text=True)

    monday = page[page.index('id="day-2026-11-16"') : page.index('id="day-2026-11-17"')]
    assert '<span class="day-total">2:00</span>' in monday
    assert f"09:00{DASH}10:30" in monday and f"11:00{DASH}11:30" in monday
    assert "kick-off" in monday
    assert '<span class="day-total">1:00</span>' in page[page.index('id="day-2026-11-22"') :]
    assert re.search(r'class="num week-total">3:00<', page)
    # Per project, most time first.
    totals = page[
        page.index('class="totals"') : page.index("</table>", page.index('class="totals"'))
    ]
    assert totals.index("Apollo") < totals.index("Zeus")
    assert ">2:30<" in totals and ">0:30<" in totals
    assert 'href="/week?week=2026-W46"' in page and 'href="/week?week=2026-W48"' in page
    assert 'href="/week"' in page  # back to this week


def test_summary_totals_on_both_databases(any_app: Flask) -> None:
    _, user_id = signed_in(any_app, timezone="America/New_York")
    _, other_id = signed_in(any_app, email="grace@example.com")
    apollo = add_task(any_app, add_project(any_app, user_id, "Apollo"), "Design")
    zeus = add_task(any_app, add_project(any_app, user_id, "Zeus"), "Build")
    theirs = add_task(any_app, add_project(any_app, other_id, "Theirs"), "Other")
    for offset, task, minutes in ((0, apollo, 60), (0, zeus, 45), (2, zeus, 120), (6, apollo, 15)):
        add_entry(any_app, user_id, task, MONDAY + timedelta(days=offset), "23:30", minutes)
    add_entry(any_app, other_id, theirs, MONDAY, "09:00", 300)
    with any_app.app_context():
        summary = summarize_week(user_id, Week(MONDAY), "America/New_York")
        assert [day.minutes for day in summary.days] == [105, 0, 120, 0, 0, 0, 15]
        assert [(t.project.name, t.minutes) for t in summary.projects] == [
            ("Zeus", 165),
            ("Apollo", 75),
        ]
        assert summary.minutes == 240
        # 23:30 in New York is the next day in UTC; the view shows the local time and day.
        first = summary.days[0].rows[0]
        assert f"{first.local_start:%Y-%m-%d %H:%M}" == "2026-11-16 23:30"
        assert f"{first.local_end:%H:%M}" == "00:30"


def test_week_page_links_to_log_time_on_each_day(app: Flask) -> None:
    client, _ = signed_in(app)
    page = client.get("/week?week=2026-W47").get_data(as_text=True)
    for offset in range(7):
        assert f"/entries/new?day={MONDAY + timedelta(days=offset)}" in page


def test_index_sends_a_signed_in_user_to_the_week(app: Flask) -> None:
    anonymous = app.test_client().get("/")
    assert anonymous.status_code == 200 and "Know where your week went" in anonymous.get_data(
        as_text=True
    )
    client, _ = signed_in(app)
    response = client.get("/")
    assert response.status_code == 302 and response.location == "/week"


def test_nav_links_for_signed_in_users(app: Flask) -> None:
    client, _ = signed_in(app)
    page = client.get("/projects/").get_data(as_text=True)
    nav = page[page.index("<nav>") : page.index("</nav>")]
    assert nav.index('href="/week"') < nav.index('href="/projects/"')
    assert 'href="/projects/" aria-current="page"' in nav


def test_an_empty_week_says_what_to_do_first(app: Flask) -> None:
    client, user_id = signed_in(app)
    page = client.get("/week").get_data(as_text=True)
    assert "Nothing logged this week yet" in page and "Create a project" in page
    add_task(app, add_project(app, user_id, "Apollo"), "Design")
    page = client.get("/week").get_data(as_text=True)
    assert "Start the timer on a task" in page and "Create a project" not in page
