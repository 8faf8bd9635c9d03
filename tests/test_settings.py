"""Settings: name, time zone, first day of the week, clock; the browser-zone offer; a CSV of my
data; deleting my account behind the password."""

from __future__ import annotations

from datetime import date

from flask import Flask

from extensions import db
from models import Project, TimeEntry, Timer, User
from services.timesheet.dates import Week, parse_week, week_of
from tests.timesheet_support import add_entry, add_project, add_task, count, main_of, signed_in

PASSWORD = "correct horse battery"


def settings_form(**fields: str) -> dict[str, str]:
    data = {"name": "Ada", "timezone": "UTC", "week_start": "0", "clock_24h": "y"}
    data.update(fields)
    return {key: value for key, value in data.items() if value != ""}


def user_row(app: Flask, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        db.session.expunge(user)
        return user


def test_settings_are_saved_and_used_by_the_week(app: Flask) -> None:
    client, user_id = signed_in(app)
    task_id = add_task(app, add_project(app, user_id))
    form = settings_form(name="Ada L.", timezone="America/New_York", week_start="6", clock_24h="")
    response = client.post("/settings/", data=form, follow_redirects=True)
    assert "Settings saved." in response.get_data(as_text=True)
    user = user_row(app, user_id)
    assert (user.name, user.timezone, user.week_start, user.clock_24h) == (
        "Ada L.",
        "America/New_York",
        6,
        False,
    )
    assert user.timezone_chosen
    add_entry(app, user_id, task_id, date(2026, 11, 18), start="14:30", minutes=60)
    page = main_of(client.get("/week?start=2026-11-18").get_data(as_text=True))
    assert "15 Nov \N{EN DASH} 21 Nov 2026" in page  # Sunday to Saturday
    assert "2:30 pm\N{EN DASH}3:30 pm" in page  # the 12-hour clock


def test_bad_settings_are_refused_and_change_nothing(app: Flask) -> None:
    client, user_id = signed_in(app)
    for fields, message in [
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ({"week_start": "9"}, "Choose a day of the week."),
        ({"name": "   "}, "Enter your name."),
        ({"name": "x" * 101}, "Use at most 100 characters."),
        # The sign-up's rule (services/accounts/rules.py:clean_person_name), not a copy of it.
        ({"name": "Ada\u200b"}, "invisible"),
    ]:
        response = client.post("/settings/", data=settings_form(**fields))
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True), fields
    user = user_row(app, user_id)
    assert (user.name, user.timezone, user.week_start, user.timezone_chosen) == (
        "Ada",
        "UTC",
        0,
        False,
    )


def test_weeks_follow_the_first_day_of_the_week() -> None:
    wednesday = date(2026, 11, 18)
    assert week_of(wednesday).first == date(2026, 11, 16)  # Monday
    sunday_week = week_of(wednesday, 6)
    assert (sunday_week.first, sunday_week.last) == (date(2026, 11, 15), date(2026, 11, 21))
    # The label names the ISO week of the Monday inside, and reads back to the same days.
    assert parse_week(sunday_week.label, None, wednesday, 6) == sunday_week
    assert parse_week(None, "2026-11-15", wednesday, 6) == sunday_week
    assert Week(date(2026, 11, 15)).monday == date(2026, 11, 16)
    saturday_week = week_of(date(2026, 11, 20), 5)
    assert parse_week(saturday_week.label, None, wednesday, 5) == saturday_week


def test_the_browser_zone_offer_is_shown_until_answered(app: Flask) -> None:
    client, user_id = signed_in(app)
    assert 'id="zone-offer"' in client.get("/week").get_data(as_text=True)
    response = client.post(
        "/settings/timezone",
        data={"timezone": "Europe/Paris", "choice": "use", "next": "/projects/"},
    )
    assert response.headers["Location"] == "/projects/"
    user = user_row(app, user_id)
    assert (user.timezone, user.timezone_chosen) == ("Europe/Paris", True)
    assert 'id="zone-offer"' not in client.get("/week").get_data(as_text=True)


def test_a_declined_or_unknown_zone_changes_nothing_but_the_offer(app: Flask) -> None:
    client, user_id = signed_in(app)
    client.post("/settings/timezone", data={"timezone": "Nowhere/Land", "choice": "use"})
    assert user_row(app, user_id).timezone == "UTC"
    client.post("/settings/timezone", data={"timezone": "Europe/Paris", "choice": "keep"})
    user = user_row(app, user_id)
    assert (user.timezone, user.timezone_chosen) == ("UTC", True)


def test_my_data_csv_has_every_entry(app: Flask) -> None:
    client, user_id = signed_in(app)
    task_id = add_task(app, add_project(app, user_id, "Apollo"), "Design")
    add_entry(app, user_id, task_id, date(2020, 1, 6), minutes=30, note="old")
    add_entry(app, user_id, task_id, date(2026, 11, 18), minutes=90, note="new")
    response = client.get("/settings/my-data.csv")
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "2020-01-06,Apollo,Design,09:00,30" in body and "2026-11-18,Apollo,Design" in body


def test_deleting_the_account_needs_the_password(app: Flask) -> None:
    client, user_id = signed_in(app)
    other_client, other_id = signed_in(app, email="bob@example.com")
    task_id = add_task(app, add_project(app, user_id))
    add_entry(app, user_id, task_id, date(2026, 11, 18))
    page = client.get("/settings/delete").get_data(as_text=True)
    assert "/settings/my-data.csv" in page  # the data is offered first
    response = client.post("/settings/delete", data={"password": "wrong one"})
    assert response.status_code == 422
    assert "Nothing was deleted" in response.get_data(as_text=True)
    assert count(app, TimeEntry) == 1
    response = client.post("/settings/delete", data={"password": PASSWORD}, follow_redirects=True)
    assert "Your account and all its data are deleted" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id) is None
        assert db.session.get(User, other_id) is not None
    assert count(app, TimeEntry) == 0 and count(app, Project) == 0 and count(app, Timer) == 0
    assert client.get("/week").status_code == 302  # logged out
    assert other_client.get("/week").status_code == 200
