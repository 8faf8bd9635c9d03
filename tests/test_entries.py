"""Time entries: create (duration or end), edit, delete; every refused input stores nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask

from extensions import db
from models import TimeEntry, User
from services.timesheet import entries as entry_service
from services.timesheet.entries import EntryError, EntryInput
from tests.timesheet_support import (
    add_entry,
    add_project,
    add_task,
    count,
    entry_form,
    signed_in,
    snapshot,
)

DASH = "\u2013"  # between the start and the end of an entry
DAY = date(2026, 11, 18)  # a Wednesday of week 2026-W47


@pytest.fixture
def setup(app: Flask):
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "Apollo")
    task_id = add_task(app, project_id, "Design")
    return client, user_id, task_id


def only_entry(app: Flask) -> TimeEntry:
    with app.app_context():
        entries = list(db.session.scalars(db.select(TimeEntry)))
        assert len(entries) == 1
        db.session.expunge_all()
        return entries[0]


def test_form_page_offers_open_tasks_and_prefills(setup, app: Flask) -> None:
    client, _, task_id = setup
    page = client.get(f"/entries/new?day=2026-11-20&task_id={task_id}").get_data(as_text=True)
    assert f'<option selected value="{task_id}">Apollo — Design</option>' in page
    assert 'value="2026-11-20"' in page and 'value="09:00"' in page
    # A malformed ?day= just means today.
    assert client.get("/entries/new?day=yesterday").status_code == 200


def test_no_open_task_points_to_projects(app: Flask) -> None:
    client, _ = signed_in(app)
    page = client.get("/entries/new").get_data(as_text=True)
    assert "There is no open task to log time on yet." in page


@pytest.mark.parametrize(
    ("fields", "minutes"),
    [
        ({"duration": "1:30"}, 90),
        ({"duration": "45"}, 45),
        ({"duration": "2h"}, 120),
        ({"end": "17:15"}, 495),
        ({"duration": "24:00", "start": "00:00"}, 1440),
    ],
)
def test_create_with_duration_or_end(setup, app: Flask, fields: dict, minutes: int) -> None:
    client, user_id, task_id = setup
    response = client.post("/entries/new", data=entry_form(task_id, note=" call ", **fields))
    assert response.status_code == 302
    assert response.location == "/week?week=2026-W47"
    entry = only_entry(app)
    assert (entry.user_id, entry.task_id, entry.spent_on, entry.minutes, entry.note) == (
        user_id,
        task_id,
        DAY,
        minutes,
        "call",
    )
    flash = client.get(response.location).get_data(as_text=True)
    assert f"Logged {minutes // 60}:{minutes % 60:02d} on Wed 18 Nov" in flash


def test_start_is_converted_from_the_users_time_zone(app: Flask) -> None:
    client, user_id = signed_in(app, timezone="Europe/Berlin")
    task_id = add_task(app, add_project(app, user_id))
    # 00:30 in Berlin on 18 Nov is 23:30 UTC on the 17th; the entry's day stays the local one.
    client.post("/entries/new", data=entry_form(task_id, start="00:30", duration="1:00"))
    entry = only_entry(app)
    assert entry.started_at == datetime(2026, 11, 17, 23, 30, tzinfo=UTC)
    assert entry.spent_on == DAY
    # Summer time: 09:00 in Berlin on 1 July is 07:00 UTC.
    client.post("/entries/new", data=entry_form(task_id, day="2026-07-01", duration="1:00"))
    with app.app_context():
        query = db.select(TimeEntry).where(TimeEntry.spent_on == date(2026, 7, 1))
        summer = db.session.scalar(query)
        assert summer.started_at == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    # The week view shows the local wall-clock time again.
    assert f"00:30{DASH}01:30" in client.get("/week?week=2026-W47").get_data(as_text=True)


def test_end_time_across_a_clock_change_counts_real_minutes(app: Flask) -> None:
    client, user_id = signed_in(app, timezone="Europe/Berlin")
    task_id = add_task(app, add_project(app, user_id))
    # 29 March 2026: clocks jump from 02:00 to 03:00, so 01:00-04:00 is two real hours.
    response = client.post(
        "/entries/new", data=entry_form(task_id, day="2026-03-29", start="01:00", end="04:00")
    )
    assert response.status_code == 302
    assert only_entry(app).minutes == 120


def test_a_start_inside_the_skipped_hour_is_refused(app: Flask) -> None:
    client, user_id = signed_in(app, timezone="Europe/Berlin")
    task_id = add_task(app, add_project(app, user_id))
    response = client.post(
        "/entries/new", data=entry_form(task_id, day="2026-03-29", start="02:30", duration="1:00")
    )
    assert response.status_code == 422
    assert "does not exist on 2026-03-29" in response.get_data(as_text=True)
    assert count(app, TimeEntry) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"end": "09:00"}, "The end must differ from the start"),
        ({"duration": "1:00", "end": "10:00"}, "Fill in either a duration or an end time"),
        ({}, "Fill in a duration or an end time."),
        ({"duration": "soon"}, "Write the duration as 1:30"),
        ({"duration": "0"}, "between 1 minute and 24 hours"),
        ({"duration": "24:01"}, "between 1 minute and 24 hours"),
        ({"day": "2026-02-30", "duration": "1:00"}, "Not a valid date value."),
        ({"day": "18.11.2026", "duration": "1:00"}, "Not a valid date value."),
        ({"day": "9999-12-31", "duration": "1:00"}, "Pick a date between 1970 and 2100."),
        ({"day": "", "duration": "1:00"}, "Enter the date."),
        ({"start": "25:00", "duration": "1:00"}, "Not a valid time value."),
        ({"start": "", "duration": "1:00"}, "Enter the start time."),
        ({"end": "half past"}, "Not a valid time value."),
        ({"duration": "1:00", "note": "x" * 501}, "Keep the note to 500 characters or fewer."),
        ({"duration": "1:00", "task_id": ""}, "Choose a task."),
        ({"duration": "1:00", "task_id": "abc"}, "Invalid Choice"),
        ({"duration": "1:00", "task_id": "999"}, "Choose one of your open tasks."),
    ],
)
def test_bad_input_is_refused_with_a_message(setup, app: Flask, fields: dict, message: str) -> None:
    client, _, task_id = setup
    response = client.post("/entries/new", data={**entry_form(task_id), **fields})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, TimeEntry) == 0


def test_a_task_of_someone_elses_project_is_refused(setup, app: Flask) -> None:
    client, _, _ = setup
    _, other_id = signed_in(app, email="grace@example.com")
    their_task = add_task(app, add_project(app, other_id, "Theirs"), "Secret")
    response = client.post("/entries/new", data=entry_form(their_task, duration="1:00"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose one of your open tasks." in page and "Secret" not in page
    assert count(app, TimeEntry) == 0


def test_closed_tasks_and_archived_projects_take_no_new_time(setup, app: Flask) -> None:
    client, user_id, _ = setup
    closed = add_task(app, add_project(app, user_id, "Zeus"), "Done", closed=True)
    archived = add_task(app, add_project(app, user_id, "Old", archived=True), "Old task")
    for task_id in (closed, archived):
        response = client.post("/entries/new", data=entry_form(task_id, duration="1:00"))
        assert response.status_code == 422
        assert "Choose one of your open tasks." in response.get_data(as_text=True)
    assert count(app, TimeEntry) == 0


def test_more_than_24_hours_on_one_day_is_refused(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    add_entry(app, user_id, task_id, DAY, "00:00", minutes=23 * 60)
    response = client.post("/entries/new", data=entry_form(task_id, start="23:00", duration="1:01"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "That makes more than 24 h on Wed 18 Nov 2026" in page
    assert "23:00 is already logged, at most 1:00 more fits." in page
    assert count(app, TimeEntry) == 1
    # Exactly 24 h is fine, and another day is not affected.
    assert (
        client.post(
            "/entries/new", data=entry_form(task_id, start="23:00", duration="1:00")
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/entries/new", data=entry_form(task_id, day="2026-11-19", duration="1:00")
        ).status_code
        == 302
    )


def test_daily_limit_in_the_service_counts_only_this_users_day(any_app: Flask) -> None:
    _, user_id = signed_in(any_app)
    _, other_id = signed_in(any_app, email="grace@example.com")
    task_id = add_task(any_app, add_project(any_app, user_id))
    other_task = add_task(any_app, add_project(any_app, other_id))
    add_entry(any_app, other_id, other_task, DAY, minutes=20 * 60)  # someone else's day
    add_entry(any_app, user_id, task_id, date(2026, 11, 17), minutes=20 * 60)  # another day
    first = add_entry(any_app, user_id, task_id, DAY, "00:00", minutes=12 * 60)
    with any_app.app_context():
        user = db.session.get(User, user_id)
        data = EntryInput(task_id=task_id, day=DAY, start=time(13, 0), minutes=12 * 60)
        entry_service.create_entry(user, data)  # 12 h + 12 h = 24 h exactly
        assert entry_service.minutes_on_day(user_id, DAY) == 24 * 60
        with pytest.raises(EntryError) as refused:
            entry_service.create_entry(user, EntryInput(task_id, DAY, time(1, 0), minutes=1))
        assert refused.value.field == "duration"
        # Editing an entry does not count it twice: 12 h may become 11 h or stay 12 h.
        entry = entry_service.get_entry_for(user_id, first)
        entry_service.update_entry(user, entry, EntryInput(task_id, DAY, time(0, 0), minutes=660))
        assert entry_service.minutes_on_day(user_id, DAY) == 23 * 60


def test_edit_entry(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    other_task = add_task(app, add_project(app, user_id, "Zeus"), "Build")
    entry_id = add_entry(app, user_id, task_id, DAY, "09:00", minutes=90, note="first")
    page = client.get(f"/entries/{entry_id}/edit").get_data(as_text=True)
    assert 'value="1:30"' in page and 'value="2026-11-18"' in page and "first" in page
    response = client.post(
        f"/entries/{entry_id}/edit",
        data=entry_form(other_task, day="2026-11-24", start="10:15", end="12:00", note="moved"),
    )
    assert response.status_code == 302
    assert response.location == "/week?week=2026-W48"
    entry = only_entry(app)
    assert (entry.task_id, entry.spent_on, entry.minutes, entry.note) == (
        other_task,
        date(2026, 11, 24),
        105,
        "moved",
    )
    assert entry.started_at == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)


def test_editing_a_full_day_entry_does_not_count_it_twice(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    entry_id = add_entry(app, user_id, task_id, DAY, "00:00", minutes=24 * 60)
    response = client.post(
        f"/entries/{entry_id}/edit",
        data=entry_form(task_id, start="00:00", duration="24:00", note="ok"),
    )
    assert response.status_code == 302
    assert only_entry(app).note == "ok"


def test_refused_edit_changes_nothing(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    entry_id = add_entry(app, user_id, task_id, DAY, minutes=60, note="keep")
    before = snapshot(app)
    response = client.post(
        f"/entries/{entry_id}/edit",
        data=entry_form(task_id, start="10:00", end="10:00", note="changed"),
    )
    assert response.status_code == 422
    assert snapshot(app) == before


def test_an_entry_keeps_its_closed_task_when_edited(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    entry_id = add_entry(app, user_id, task_id, DAY, minutes=60)
    client.post(f"/tasks/{task_id}/close")
    page = client.get(f"/entries/{entry_id}/edit").get_data(as_text=True)
    assert "Design (closed)" in page
    response = client.post(
        f"/entries/{entry_id}/edit", data=entry_form(task_id, duration="2:00", note="still here")
    )
    assert response.status_code == 302
    assert only_entry(app).minutes == 120


def test_delete_asks_first_then_deletes(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    entry_id = add_entry(app, user_id, task_id, DAY, minutes=90, note="Kick-off")
    confirm = client.get(f"/entries/{entry_id}/delete")
    assert confirm.status_code == 200 and count(app, TimeEntry) == 1  # GET only asks
    page = confirm.get_data(as_text=True)
    assert "Delete this entry?" in page and "Apollo — Design" in page and "Kick-off" in page
    response = client.post(f"/entries/{entry_id}/delete")
    assert response.status_code == 302
    assert response.location == "/week?week=2026-W47"
    assert "Deleted the entry of 1:30 on Wed 18 Nov" in client.get(response.location).get_data(
        as_text=True
    )
    assert count(app, TimeEntry) == 0
    assert client.post(f"/entries/{entry_id}/delete").status_code == 404
    assert client.get(f"/entries/{entry_id}/delete").status_code == 404


def test_pages_offer_delete_as_a_link_to_the_confirmation(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    entry_id = add_entry(app, user_id, task_id, DAY, minutes=90)
    for url in ("/week?week=2026-W47", "/entries/", f"/entries/{entry_id}/edit"):
        page = client.get(url).get_data(as_text=True)
        assert f'href="/entries/{entry_id}/delete"' in page, url
        assert f'action="/entries/{entry_id}/delete"' not in page, url  # no one-click delete


def test_undo_puts_the_deleted_entry_back(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    entry_id = add_entry(app, user_id, task_id, DAY, start="14:15", minutes=90, note="Kick-off")
    before = only_entry(app)
    response = client.post(f"/entries/{entry_id}/delete", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert 'action="/entries/undo"' in page and "Undo" in page
    # The Undo button is offered once, on the page right after the delete.
    assert 'action="/entries/undo"' not in client.get("/week").get_data(as_text=True)
    response = client.post("/entries/undo", follow_redirects=True)
    assert "Entry restored: 1:30 on Wed 18 Nov" in response.get_data(as_text=True)
    after = only_entry(app)
    assert (after.task_id, after.spent_on, after.started_at, after.minutes, after.note) == (
        before.task_id,
        before.spent_on,
        before.started_at,
        before.minutes,
        before.note,
    )
    response = client.post("/entries/undo", follow_redirects=True)  # only once
    assert "There is nothing to undo" in response.get_data(as_text=True)
    assert count(app, TimeEntry) == 1


def test_undo_is_refused_after_a_while(setup, app: Flask) -> None:
    _, user_id, task_id = setup
    entry_id = add_entry(app, user_id, task_id, DAY, minutes=30)
    with app.app_context():
        user = db.session.get(User, user_id)
        entry = entry_service.get_entry_for(user_id, entry_id)
        assert entry is not None
        deleted = entry_service.delete_entry(user, entry)
        late = deleted.deleted_at + timedelta(seconds=entry_service.UNDO_SECONDS + 1)
        with pytest.raises(EntryError, match="Too late to undo"):
            entry_service.restore_entry(user, deleted, now=late)
    assert count(app, TimeEntry) == 0


def test_an_overlapping_entry_is_stored_with_a_warning(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    add_entry(app, user_id, task_id, DAY, start="09:00", minutes=90)
    response = client.post(
        "/entries/new",
        data=entry_form(task_id, start="10:00", duration="1:00"),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "this entry overlaps Wed 18 Nov 09:00" in page and "10:30" in page
    assert count(app, TimeEntry) == 2
    # Back to back is not an overlap.
    response = client.post(
        "/entries/new",
        data=entry_form(task_id, start="11:00", duration="0:30"),
        follow_redirects=True,
    )
    assert "overlaps" not in response.get_data(as_text=True)


def test_an_end_before_the_start_is_on_the_next_day(setup, app: Flask) -> None:
    client, _, task_id = setup
    response = client.post("/entries/new", data=entry_form(task_id, start="23:00", end="01:00"))
    assert response.status_code == 302
    entry = only_entry(app)
    assert (entry.spent_on, entry.minutes) == (DAY, 120)  # counted on the day it starts
    page = client.get("/entries/new").get_data(as_text=True)
    assert "An end before the start is on the next day" in page


def test_the_form_starts_where_the_user_left_off(setup, app: Flask) -> None:
    client, user_id, task_id = setup
    other = add_task(app, add_project(app, user_id, "Zeus"), "Support")
    add_entry(app, user_id, task_id, DAY, start="08:00", minutes=60)
    add_entry(app, user_id, other, DAY, start="13:00", minutes=45)
    page = client.get(f"/entries/new?day={DAY.isoformat()}").get_data(as_text=True)
    assert f'<option selected value="{other}">Zeus — Support</option>' in page
    assert 'value="13:45"' in page  # the end of the day's last entry
    # Another day with nothing logged yet: 09:00, still the last task used.
    page = client.get("/entries/new?day=2026-11-20").get_data(as_text=True)
    assert 'value="09:00"' in page and f'<option selected value="{other}">' in page


def test_all_entries_list_is_paginated_newest_first(setup, app: Flask) -> None:
    app.config["ENTRIES_PER_PAGE"] = 2
    client, user_id, task_id = setup
    for day in (16, 17, 18):
        add_entry(app, user_id, task_id, date(2026, 11, day), note=f"note {day}")
    first = client.get("/entries/").get_data(as_text=True)
    assert "note 18" in first and "note 17" in first and "note 16" not in first
    assert "Page 1 of 2" in first
    assert "note 16" in client.get("/entries/?page=2").get_data(as_text=True)
