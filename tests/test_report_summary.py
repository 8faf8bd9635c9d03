"""Reports on screen: range presets, grouping, totals and a chart, in the user's days; the
export form takes the same range."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from routes.dashboard.chart import color_for
from services.reports.summary import choose
from services.timesheet.dates import BadDate
from tests.timesheet_support import add_entry, add_project, add_task, main_of, signed_in

TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("preset", "first", "last"),
    [
        ("this_week", date(2026, 11, 16), date(2026, 11, 22)),
        ("last_week", date(2026, 11, 9), date(2026, 11, 15)),
        ("this_month", date(2026, 11, 1), date(2026, 11, 30)),
        ("last_month", date(2026, 10, 1), date(2026, 10, 31)),
        ("nonsense", date(2026, 11, 1), date(2026, 11, 30)),  # falls back to this month
    ],
)
def test_range_presets(preset: str, first: date, last: date) -> None:
    choice = choose(preset, None, None, None, TODAY)
    assert (choice.date_from, choice.date_to, choice.group) == (first, last, "project")


def test_presets_follow_the_first_day_of_the_week_and_january() -> None:
    assert choose("this_week", "day", None, None, TODAY, 6).date_from == date(2026, 11, 15)
    january = choose("last_month", None, None, None, date(2026, 1, 5))
    assert (january.date_from, january.date_to) == (date(2025, 12, 1), date(2025, 12, 31))


def test_a_bad_custom_range_is_refused() -> None:
    with pytest.raises(BadDate, match="must not be before"):
        choose("custom", None, date(2026, 11, 5), date(2026, 11, 1), TODAY)
    with pytest.raises(BadDate, match="at most 366 days"):
        choose("custom", None, date(2020, 1, 1), date(2026, 1, 1), TODAY)
    with pytest.raises(BadDate, match="both"):
        choose("custom", None, None, date(2026, 1, 1), TODAY)


@pytest.fixture
def month(app: Flask):
    client, user_id = signed_in(app)
    apollo = add_project(app, user_id, "Apollo")
    zeus = add_project(app, user_id, "Zeus")
    design = add_task(app, apollo, "Design")
    review = add_task(app, apollo, "Review")
    support = add_task(app, zeus, "Support")
    add_entry(app, user_id, design, date(2026, 10, 5), minutes=60)
    add_entry(app, user_id, review, date(2026, 10, 6), minutes=30)
    add_entry(app, user_id, support, date(2026, 10, 6), start="11:00", minutes=120)
    add_entry(app, user_id, support, date(2026, 11, 2), minutes=45)  # another month
    _, other_id = signed_in(app, email="bob@example.com")
    other_task = add_task(app, add_project(app, other_id, "Secret"), "Hidden")
    add_entry(app, other_id, other_task, date(2026, 10, 6), minutes=300)
    return client, apollo, zeus


def page_of(client, query: str) -> str:
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 200
    return main_of(response.get_data(as_text=True))


def test_grouped_by_project_task_and_day(month) -> None:
    client, apollo, zeus = month
    custom = "range=custom&first=2026-10-01&last=2026-10-31"
    page = page_of(client, f"{custom}&group=project")
    table = page[page.index("summary-table") :]
    assert table.index("Zeus") < table.index("Apollo")  # most time first
    assert "Zeus</td>" in page and "Apollo</td>" in page and "Secret" not in page
    assert 'class="num summary-total">3:30<' in page
    assert f'fill="{color_for(zeus)}"' in page and f'fill="{color_for(apollo)}"' in page
    page = page_of(client, f"{custom}&group=task")
    assert "Apollo — Design" in page and "Apollo — Review" in page and "Zeus — Support" in page
    page = page_of(client, f"{custom}&group=day")
    assert "Mon 05 Oct 2026" in page and "Tue 06 Oct 2026" in page
    assert '<svg class="chart"' in page
    # The export form below takes the same range.
    export = page[page.index('action="/reports/"', page.index("Export your time")) :]
    assert 'value="2026-10-01"' in export and 'value="2026-10-31"' in export


def test_an_empty_range_says_so_and_a_bad_one_falls_back(month) -> None:
    client, _, _ = month
    page = page_of(client, "range=custom&first=2025-01-01&last=2025-01-31")
    assert "No time logged in this range" in page
    page = page_of(client, "range=custom&first=2026-10-31&last=2026-10-01")
    assert "The last day must not be before the first." in page
