"""The server-drawn bar chart: geometry, accessible SVG, nothing loaded from elsewhere."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from flask import Flask

from routes.dashboard.chart import PALETTE, Column, stacked_bar_chart
from tests.timesheet_support import add_entry, add_project, add_task, signed_in

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = date(2026, 11, 16)


def test_bars_are_proportional_and_stacked() -> None:
    chart = stacked_bar_chart(
        "Hours",
        [
            Column("Mon", "16 Nov", [(1, 120), (2, 60)]),
            Column("Tue", "17 Nov", [(1, 240)]),
            Column("Wed", "18 Nov", []),
        ],
        [(1, "Apollo", 360), (2, "Zeus", 60)],
    )
    monday, tuesday, wednesday = chart.bars
    assert [s.height for s in monday.segments] == [
        round(120 * (chart.baseline - 24) / 480, 1),
        round(60 * (chart.baseline - 24) / 480, 1),
    ]
    # Stacked: the second segment sits right on top of the first.
    first, second = monday.segments
    assert abs((second.y + second.height) - first.y) < 0.2
    assert abs(first.y + first.height - chart.baseline) < 0.2
    assert tuesday.segments[0].height == round(2 * first.height, 1)
    assert (first.color, second.color) == (PALETTE[1], PALETTE[2])  # from the project ids
    assert tuesday.segments[0].color == PALETTE[1]  # a project keeps its colour on every day
    assert (monday.value_label, tuesday.value_label, wednesday.value_label) == ("3:00", "4:00", "")
    assert wednesday.segments == ()
    assert first.title == "Mon 16 Nov: Apollo 2:00"
    assert [item.name for item in chart.legend] == ["Apollo", "Zeus"]
    assert chart.description == "Mon 16 Nov: 3:00; Tue 17 Nov: 4:00; Wed 18 Nov: 0:00"


def test_scale_is_at_least_eight_hours_and_grows_for_long_days() -> None:
    light = stacked_bar_chart("x", [Column("Mon", "", [(1, 30)])], [(1, "A", 30)])
    assert [line.label for line in light.grid] == ["0 h", "2 h", "4 h", "6 h", "8 h"]
    long = stacked_bar_chart("x", [Column("Mon", "", [(1, 23 * 60)])], [(1, "A", 23 * 60)])
    assert long.grid[-1].label == "24 h"
    # The tallest bar fits inside the plot: it never reaches above the top margin.
    assert long.bars[0].segments[0].y >= 0
    empty = stacked_bar_chart("x", [Column(d, "", []) for d in "MTWTFSS"], [])
    assert all(bar.segments == () for bar in empty.bars) and empty.legend == ()


def test_many_projects_reuse_the_palette() -> None:
    series = [(key, f"P{key}", 10) for key in range(len(PALETTE) + 2)]
    chart = stacked_bar_chart("x", [Column("Mon", "", [(k, 10) for k, _, _ in series])], series)
    colors = [s.color for s in chart.bars[0].segments]
    assert colors[len(PALETTE)] == colors[0]


def test_a_project_keeps_its_colour_whatever_its_place_in_the_legend() -> None:
    """The colour follows the project id: a week where another project leads (and so comes
    first in the legend) does not repaint it."""
    one = stacked_bar_chart("x", [Column("Mon", "", [(7, 60)])], [(7, "Apollo", 60)])
    two = stacked_bar_chart(
        "x", [Column("Mon", "", [(3, 300), (7, 60)])], [(3, "Zeus", 300), (7, "Apollo", 60)]
    )
    apollo_once = one.legend[0].color
    apollo_later = next(item.color for item in two.legend if item.name == "Apollo")
    assert apollo_once == apollo_later
    assert two.legend[0].color != apollo_later


def week_svg(page: str) -> ET.Element:
    svg = re.search(r"<svg class=\"chart\".*?</svg>", page, re.S)
    assert svg, "no inline SVG chart on the page"
    return ET.fromstring(svg.group(0))  # well-formed XML, or this raises


def test_week_page_draws_an_accessible_chart_inline(app: Flask) -> None:
    client, user_id = signed_in(app)
    task = add_task(app, add_project(app, user_id, 'Ops <script>alert("x")</script> & Co'))
    add_entry(app, user_id, task, MONDAY, "09:00", 150)
    add_entry(app, user_id, task, MONDAY + timedelta(days=3), "09:00", 45)
    page = client.get("/week?week=2026-W47").get_data(as_text=True)
    svg = week_svg(page)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-title chart-desc"
    assert svg.find(f"{SVG}title").text == "Hours per day, week 2026-W47"
    assert svg.find(f"{SVG}desc").text.startswith("Mon 16 Nov: 2:30; Tue 17 Nov: 0:00")
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    for label in ("Mon", "Sun", "16 Nov", "2:30", "0:45", "8 h"):
        assert label in texts
    rects = list(svg.iter(f"{SVG}rect"))
    assert len(rects) == 2
    title = rects[0].find(f"{SVG}title").text
    assert title == 'Mon 16 Nov: Ops <script>alert("x")</script> & Co 2:30'
    # The project name is text, never markup.
    assert "<script>alert" not in page
    assert "Ops &lt;script&gt;" in page
    # Nothing is fetched from anywhere: no inline script, scripts only from /static/, no
    # external reference.
    assert all(
        tag.startswith('<script src="/static/') for tag in re.findall(r"<script[^>]*>", page)
    )
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_empty_week_still_draws_axes_and_labels(app: Flask) -> None:
    client, _ = signed_in(app)
    svg = week_svg(client.get("/week?week=2026-W47").get_data(as_text=True))
    assert len(list(svg.iter(f"{SVG}rect"))) == 0
    assert len(list(svg.iter(f"{SVG}line"))) == 5
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-day"] == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]
