"""Week math and the user's time zone.

Days are the user's local days: an entry's ``spent_on`` is the local date of its start, and the
week view is seven local days from the user's first day of the week (Monday by default).
Moments are stored in UTC; this module is the one place that converts between the two, with
:mod:`zoneinfo`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Dates outside this range are refused as input: they are typos, and near the ends of Python's
# date range "the next week" or a time-zone offset would overflow into a 500.
MIN_YEAR = 1970
MAX_YEAR = 2100

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


class BadDate(ValueError):
    """Input that is not a date, a week or a time we accept; the message is for the user."""


def user_zone(name: str | None) -> ZoneInfo:
    """The user's zone; an unknown or empty name falls back to UTC rather than failing a page."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_today(zone_name: str | None) -> date:
    return datetime.now(user_zone(zone_name)).date()


def check_year(day: date) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise BadDate(f"Pick a date between {MIN_YEAR} and {MAX_YEAR}.")
    return day


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Week:
    """Seven days from ``first``: the user's first day of the week (Monday unless they chose
    another). Its label is the ISO week of the Monday inside it, so a URL names the same seven
    days whatever the first day is."""

    first: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=offset) for offset in range(7)]

    @property
    def last(self) -> date:
        return self.first + timedelta(days=6)

    @property
    def monday(self) -> date:
        """The Monday inside this week (the first day itself for a Monday week)."""
        return self.first + timedelta(days=(7 - self.first.weekday()) % 7)

    @property
    def sunday(self) -> date:
        return self.last

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def label(self) -> str:
        """``2026-W47``: the form the ``week`` query parameter takes."""
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def previous(self) -> Week:
        return Week(self.first - timedelta(days=7))

    @property
    def next(self) -> Week:
        return Week(self.first + timedelta(days=7))

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def week_of(day: date, first_weekday: int = 0) -> Week:
    """The week holding ``day`` when weeks start on ``first_weekday`` (0 = Monday, 6 = Sunday)."""
    return Week(day - timedelta(days=(day.weekday() - first_weekday) % 7))


def parse_week(week: str | None, start: str | None, today: date, first_weekday: int = 0) -> Week:
    """The week asked for by ``?week=2026-W47`` or ``?start=2026-11-18`` (any day of it);
    neither means the week of ``today``. Weeks start on ``first_weekday`` (0 = Monday).
    Raises :class:`BadDate` for anything malformed."""
    if week:
        match = _ISO_WEEK.match(week.strip())
        if not match:
            raise BadDate("The week must look like 2026-W47.")
        year, number = int(match[1]), int(match[2])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise BadDate(f"Pick a week between {MIN_YEAR} and {MAX_YEAR}.")
        try:
            monday = date.fromisocalendar(year, number, 1)
        except ValueError:
            raise BadDate(f"{year} has no week {number}.") from None
        return week_of(monday, first_weekday)
    if start:
        return week_of(parse_day(start), first_weekday)
    return week_of(today, first_weekday)


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` day within the accepted years."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate("The date must look like 2026-11-18.") from None
    return check_year(day)


def local_to_utc(day: date, at: time, zone_name: str | None) -> datetime:
    """The UTC moment of a wall-clock time on a local day.

    A time that does not exist (skipped by a clock change in spring) is refused; a time that
    happens twice (autumn) means the first of the two.
    """
    zone = user_zone(zone_name)
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    moment = local.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise BadDate(f"{at:%H:%M} does not exist on {day:%Y-%m-%d} in {zone.key} (clock change).")
    return moment


def utc_to_local(moment: datetime, zone_name: str | None) -> datetime:
    return moment.astimezone(user_zone(zone_name))


# The forms a duration may take, as the form's help text states them. re.ASCII: "\\d" must not
# match other scripts' digits; the digit counts keep int() small (a 5000-digit number passes
# str.isdigit(), then int() refuses it: that was a 500).
DURATION_FORMS = "1:30, 1h30, 1h 30m, 1.5h, 1.5 or 1,5 (hours), 90 or 90m (minutes)"
DURATION_MESSAGE = f"Write the duration as {DURATION_FORMS}."
_MINUTES = re.compile(r"(\d{1,4})\s*(?:m|min)?", re.ASCII)
_HOURS_COLON_MINUTES = re.compile(r"(\d{1,2}):([0-5]\d)", re.ASCII)
_DECIMAL_HOURS = re.compile(r"(\d{1,2})[.,](\d{1,2})\s*h?", re.ASCII)
_HOURS_AND_MINUTES = re.compile(r"(\d{1,2})\s*h(?:\s*([0-5]?\d)\s*(?:m|min)?)?", re.ASCII)


def parse_duration(text: str) -> int:
    """Minutes from what a person types, in one of :data:`DURATION_FORMS` (a bare number is
    minutes, a decimal one hours). Raises :class:`BadDate` with :data:`DURATION_MESSAGE` for
    anything else; the range check (1 min to 24 h) is the caller's."""
    value = (text or "").strip().lower()
    if match := _MINUTES.fullmatch(value):
        return int(match[1])
    if match := _HOURS_COLON_MINUTES.fullmatch(value):
        return int(match[1]) * 60 + int(match[2])
    if match := _DECIMAL_HOURS.fullmatch(value):
        return round(float(f"{match[1]}.{match[2]}") * 60)
    if match := _HOURS_AND_MINUTES.fullmatch(value):
        return int(match[1]) * 60 + int(match[2] or 0)
    raise BadDate(DURATION_MESSAGE)


def format_minutes(minutes: int | None) -> str:
    """``90`` -> ``1:30``: hours and minutes, the way timesheets show them."""
    minutes = int(minutes or 0)
    return f"{minutes // 60}:{minutes % 60:02d}"
