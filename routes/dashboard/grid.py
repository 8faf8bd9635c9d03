"""The week grid's form handling: cell names (``cell-<task id>-<YYYY-MM-DD>``) and their
values, read from the posted form; the rules live in services/timesheet/grid.py."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm

from models.time_entry import MINUTES_PER_DAY
from services.timesheet.dates import BadDate, parse_duration


class GridForm(FlaskForm):
    """Only the CSRF token: the cells are one field per task and day, read by :func:`cells`."""


def cell_name(task_id: int, day: date) -> str:
    return f"cell-{task_id}-{day.isoformat()}"


def as_hours(text: str) -> str:
    """In the grid a bare number is hours ("2", "1.5", "1,5"), not minutes as in the entry
    form's duration: that is what a timesheet grid means."""
    bare = text.replace(",", ".").replace(".", "", 1)
    return text + "h" if bare.isdigit() else text


def read_cells(
    form: dict[str, str],
) -> tuple[dict[tuple[int, date], int], dict[str, str], dict[str, str], set[int]]:
    """(minutes per cell, the typed text per cell name, an error per cell name, the task ids of
    every row sent, so a row with a bad cell is shown again with its message). An empty cell
    means 0; ``2``, ``1.5``, ``1:30``, ``90m`` and the like are hours and minutes."""
    minutes: dict[tuple[int, date], int] = {}
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    rows: set[int] = set()
    for name, value in form.items():
        if not name.startswith("cell-"):
            continue
        try:
            _, task, day_text = name.split("-", 2)
            cell = (int(task), date.fromisoformat(day_text))
        except ValueError:
            continue  # not a cell this page made: ignored
        rows.add(cell[0])
        text = value.strip()
        typed[name] = text
        try:
            amount = parse_duration(as_hours(text)) if text else 0
        except BadDate as error:
            errors[name] = str(error)
            continue
        if not 0 <= amount <= MINUTES_PER_DAY:
            errors[name] = "At most 24 hours a day."
            continue
        minutes[cell] = amount
    return minutes, typed, errors, rows
