"""The week grid: totals per task and day typed in a table, saved through the entries service
(the same rules: daily limit, own open tasks), all cells or none."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from extensions import db
from models import TimeEntry
from tests.timesheet_support import add_entry, add_project, add_task, main_of, signed_in, snapshot

MONDAY = date(2026, 11, 16)
WEEK = "/week/grid?week=2026-W47"


@pytest.fixture
def setup(app: Flask):
    client, user_id = signed_in(app)
    project_id = add_project(app, user_id, "Apollo")
    design = add_task(app, project_id, "Design")
    review = add_task(app, project_id, "Review")
    return client, user_id, design, review


def csrf_free(**cells: str) -> dict[str, str]:
    return {"save": "1", **cells}


def entries(app: Flask) -> list[tuple[int, date, int, str]]:
    with app.app_context():
        rows = db.session.scalars(select(TimeEntry).order_by(TimeEntry.spent_on, TimeEntry.id))
        return [(e.task_id, e.spent_on, e.minutes, e.note) for e in rows]


def test_the_grid_shows_totals_per_task_and_day(setup, app: Flask) -> None:
    client, user_id, design, _ = setup
    add_entry(app, user_id, design, MONDAY, start="09:00", minutes=60)
    add_entry(app, user_id, design, MONDAY, start="13:00", minutes=30)
    page = main_of(client.get(WEEK).get_data(as_text=True))
    assert "Apollo — Design" in page
    assert f'name="cell-{design}-2026-11-16"' in page and 'value="1:30"' in page


def test_saving_creates_updates_and_deletes_through_the_rules(setup, app: Flask) -> None:
    client, user_id, design, review = setup
    add_entry(app, user_id, design, MONDAY, start="09:00", minutes=60, note="kept")
    add_entry(app, user_id, design, date(2026, 11, 17), minutes=45)
    response = client.post(
        WEEK,
        data=csrf_free(
            **{
                f"cell-{design}-2026-11-16": "2",  # 1:00 -> 2:00 (bare numbers are hours)
                f"cell-{design}-2026-11-17": "",  # emptied: deleted
                f"cell-{review}-2026-11-16": "1,5",  # new, after the day's last entry
                f"cell-{review}-2026-11-18": "45m",
            }
        ),
    )
    assert response.status_code == 302
    assert entries(app) == [
        (design, MONDAY, 120, "kept"),
        (review, MONDAY, 90, ""),
        (review, date(2026, 11, 18), 45, ""),
    ]
    with app.app_context():
        new = db.session.scalars(select(TimeEntry).where(TimeEntry.task_id == review)).first()
        assert new is not None and new.started_at.hour == 11  # after 09:00-11:00 (UTC user)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Week saved: 4 changes." in page


def test_a_refused_cell_saves_nothing(setup, app: Flask) -> None:
    client, user_id, design, review = setup
    add_entry(app, user_id, design, MONDAY, start="00:00", minutes=23 * 60)
    before = snapshot(app)
    response = client.post(
        WEEK,
        data=csrf_free(
            **{
                f"cell-{design}-2026-11-16": "23:00",
                f"cell-{review}-2026-11-17": "1",  # fine on its own
                f"cell-{review}-2026-11-16": "2",  # past 24 h on Monday
            }
        ),
    )
    assert response.status_code == 422
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert "more than 24 h" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_bad_cells_are_named_and_a_foreign_task_is_refused(setup, app: Flask) -> None:
    client, _, design, _ = setup
    _, other_id = signed_in(app, email="bob@example.com")
    foreign = add_task(app, add_project(app, other_id, "Secret"), "Hidden")
    before = snapshot(app)
    response = client.post(WEEK, data=csrf_free(**{f"cell-{design}-2026-11-16": "soon"}))
    assert response.status_code == 422
    assert "Write the duration as" in response.get_data(as_text=True)
    response = client.post(WEEK, data=csrf_free(**{f"cell-{foreign}-2026-11-16": "1"}))
    assert response.status_code == 422
    assert "Choose one of your open tasks" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_add_a_row_and_copy_last_weeks_rows_keep_what_was_typed(setup, app: Flask) -> None:
    client, user_id, design, review = setup
    add_entry(app, user_id, review, date(2026, 11, 10), minutes=30)  # last week
    response = client.post(
        WEEK,
        data={"add_row": "1", "add_task": str(design), f"cell-{design}-2026-11-16": ""},
    )
    page = main_of(response.get_data(as_text=True))
    assert "Apollo — Design" in page and "Apollo — Review" not in page.split("grid-tools")[0]
    response = client.post(WEEK, data={"copy_rows": "1", f"cell-{design}-2026-11-16": "3"})
    page = main_of(response.get_data(as_text=True))
    assert "Apollo — Review" in page.split("grid-tools")[0]
    assert 'value="3"' in page  # typed, not saved yet
    assert entries(app) == [(review, date(2026, 11, 10), 30, "")]
