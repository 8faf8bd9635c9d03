"""A stacked bar chart laid out on the server: this module computes the geometry, the template
``dashboard/_chart.html`` writes it as inline SVG. No script, no font or file from the internet,
and every number is also written as text so the chart reads without colour or hover."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from services.reports.summary import Summary
from services.timesheet.dates import format_minutes
from services.timesheet.week import WeekSummary

# Distinguishable colours with enough contrast against white (all darker than 3:1).
PALETTE = (
    "#2f6fdf",
    "#d9730d",
    "#1f7a4d",
    "#b42318",
    "#7c4dff",
    "#0e7c86",
    "#a15c00",
    "#c2185b",
)

WIDTH = 720
HEIGHT = 300
LEFT = 48  # room for the hour labels
RIGHT = 12
TOP = 24  # room for the value above the tallest bar
BOTTOM = 44  # room for the two lines of day labels


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass(frozen=True)
class Bar:
    label: str
    sublabel: str
    center: float
    value_label: str
    value_y: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class GridLine:
    y: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    name: str
    color: str
    value_label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    left: int
    right_edge: int
    baseline: float
    bars: tuple[Bar, ...]
    grid: tuple[GridLine, ...]
    legend: tuple[LegendItem, ...]


@dataclass(frozen=True)
class Column:
    """One bar: its labels and its stacked values (series key, minutes), bottom first."""

    label: str
    sublabel: str
    values: Sequence[tuple[int, int]]


def color_for(key: int) -> str:
    """A series' colour from its key (a project id), not from its place in the legend: a project
    keeps its colour from week to week and between the week and the reports."""
    return PALETTE[key % len(PALETTE)]


def hour_step(max_hours: float) -> int:
    return 2 if max_hours <= 12 else 4


def stacked_bar_chart(
    title: str, columns: Sequence[Column], series: Sequence[tuple[int, str, int]]
) -> BarChart:
    """``series`` lists (key, name, total minutes) in legend order; the key picks its colour.
    The scale is at least 8 h so a light day does not look like a full one."""
    colors = {key: color_for(key) for key, _, _ in series}
    names = {key: name for key, name, _ in series}
    totals = [sum(minutes for _, minutes in column.values) for column in columns]
    biggest_hours = max([*totals, 8 * 60]) / 60
    step = hour_step(biggest_hours)
    top_hours = max(step, math.ceil(biggest_hours / step) * step)

    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    scale = plot_height / (top_hours * 60)
    slot = (WIDTH - LEFT - RIGHT) / max(len(columns), 1)
    bar_width = slot * 0.6

    bars = []
    for index, (column, total) in enumerate(zip(columns, totals, strict=True)):
        x = LEFT + index * slot + (slot - bar_width) / 2
        y: float = baseline
        segments = []
        for key, minutes in column.values:
            if minutes <= 0:
                continue
            height = minutes * scale
            y -= height
            segments.append(
                Segment(
                    round(x, 1),
                    round(y, 1),
                    round(bar_width, 1),
                    round(height, 1),
                    colors.get(key, PALETTE[0]),
                    f"{column.label} {column.sublabel}: {names.get(key, '?')} "
                    f"{format_minutes(minutes)}",
                )
            )
        bars.append(
            Bar(
                column.label,
                column.sublabel,
                round(x + bar_width / 2, 1),
                format_minutes(total) if total else "",
                round(y - 6, 1),
                tuple(segments),
            )
        )

    grid = tuple(
        GridLine(round(baseline - hours * 60 * scale, 1), f"{hours} h")
        for hours in range(0, top_hours + 1, step)
    )
    legend = tuple(
        LegendItem(name, colors[key], format_minutes(minutes)) for key, name, minutes in series
    )
    description = "; ".join(
        f"{bar.label} {bar.sublabel}: {format_minutes(total)}"
        for bar, total in zip(bars, totals, strict=True)
    )
    return BarChart(
        title, description, WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, tuple(bars), grid, legend
    )


def week_chart(summary: WeekSummary) -> BarChart:
    """Hours per day, stacked by project, in the legend order of the per-project totals."""
    order = [total.project.id for total in summary.projects]
    columns = [
        Column(
            f"{day.day:%a}",
            f"{day.day:%d %b}",
            [(pid, day.minutes_by_project[pid]) for pid in order if pid in day.minutes_by_project],
        )
        for day in summary.days
    ]
    series = [(t.project.id, t.project.name, t.minutes) for t in summary.projects]
    title = f"Hours per day, week {summary.week.label}"
    return stacked_bar_chart(title, columns, series)


def range_chart(summary: Summary) -> BarChart:
    """Hours per day (per week past 31 days) over a report's range, stacked by project, each
    project in its own colour (the same as on the week page)."""
    choice = summary.choice
    days = (choice.date_to - choice.date_from).days + 1
    per_column: dict[date, dict[int, int]] = {}
    names: dict[int, str] = {}
    totals: dict[int, int] = {}
    for item in summary.by_day:
        start = item.day if days <= 31 else item.day - timedelta(days=item.day.weekday())
        column = per_column.setdefault(start, {})
        column[item.project_id] = column.get(item.project_id, 0) + item.minutes
        names[item.project_id] = item.project
        totals[item.project_id] = totals.get(item.project_id, 0) + item.minutes
    order = sorted(totals, key=lambda pid: (-totals[pid], names[pid].casefold()))
    if days <= 31:
        starts = [choice.date_from + timedelta(days=n) for n in range(days)]
        labels = [(f"{day:%d}", f"{day:%a}"[:2]) for day in starts]
    else:
        first_monday = choice.date_from - timedelta(days=choice.date_from.weekday())
        starts = [first_monday + timedelta(weeks=n) for n in range((days + 13) // 7)]
        starts = [start for start in starts if start <= choice.date_to]
        labels = [(f"W{start.isocalendar()[1]}", f"{start:%d %b}") for start in starts]
    columns = [
        Column(label, sublabel, [(pid, per_column.get(start, {}).get(pid, 0)) for pid in order])
        for start, (label, sublabel) in zip(starts, labels, strict=True)
    ]
    series = [(pid, names[pid], totals[pid]) for pid in order]
    unit = "day" if days <= 31 else "week"
    title = f"Hours per {unit}, {choice.date_from:%d %b %Y} to {choice.date_to:%d %b %Y}"
    return stacked_bar_chart(title, columns, series)
