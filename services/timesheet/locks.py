"""The week lock: the one rule that decides whether time in a week may still change.

A person's week in a team is locked when it is approved, or when the team's grace rule says it is
too old (its Sunday more than ``Team.lock_after_days`` days ago) and no admin has reopened it.
``services/timesheet/entries.py`` asks ``ensure_open`` in every function that writes an entry,
for the week the entry leaves and the week it lands in, so every interface (web, CLI, API,
imports) meets the same rule; no view checks it on its own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from extensions import db
from models import Team, WeekApproval
from services import access
from services.timesheet.dates import monday_of


class WeekLocked(ValueError):
    """A write would change time in a locked week; the message says which week and why."""

    def __init__(self, day: date, reason: str) -> None:
        monday = monday_of(day)
        super().__init__(
            f"The week of {monday:%a %d %b %Y} is locked ({reason}): its time cannot change. "
            "An admin of the team can reopen it."
        )
        self.monday = monday
        self.reason = reason


def utc_today() -> date:
    return datetime.now(UTC).date()


def lock_reason(
    status: str | None, lock_after_days: int | None, monday: date, today: date
) -> str | None:
    """Why a week with this approval status is locked, or None when it is open."""
    if status == "approved":
        return "approved"
    if status == "reopened":
        return None
    if (
        lock_after_days is not None
        and (today - (monday + timedelta(days=6))).days > lock_after_days
    ):
        return f"older than the team's {lock_after_days} days of grace"
    return None


def week_lock(user_id: int, team_id: int, day: date) -> str | None:
    """Why this person's week holding ``day`` is locked in this team, or None. One query."""
    monday = monday_of(day)
    row = db.session.execute(
        select(Team.lock_after_days, WeekApproval.status)
        .select_from(Team)
        .outerjoin(WeekApproval, access.week_of_person(Team.id, user_id, monday))
        .where(Team.id == team_id)
    ).first()
    if row is None:
        return None
    return lock_reason(row.status, row.lock_after_days, monday, utc_today())


def ensure_open(user_id: int, team_id: int, day: date) -> None:
    reason = week_lock(user_id, team_id, day)
    if reason is not None:
        raise WeekLocked(day, reason)
