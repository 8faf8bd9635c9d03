"""Personal settings: name, time zone, first day of the week, 12 or 24 h clock.

The time zone is one of the IANA names :mod:`zoneinfo` knows; everything that shows or parses a
time reads it (services/timesheet/dates.py converts). Until the user has chosen one,
``timezone_chosen`` is false and the pages offer the browser's own zone (static/settings.js).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from extensions import db
from models import User
from services.accounts.rules import InvalidAccountField, clean_person_name

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class SettingsError(ValueError):
    """A setting that cannot be stored; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SettingsInput:
    name: str
    timezone: str
    week_start: int  # 0 = Monday ... 6 = Sunday
    clock_24h: bool


@cache
def time_zones() -> tuple[str, ...]:
    """Every IANA zone name, sorted; the legacy aliases ("US/Eastern", "Etc/GMT+5") left out."""
    return tuple(
        sorted(
            zone
            for zone in available_timezones()
            if ("/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/"))) or zone == "UTC"
        )
    )


def check_time_zone(name: str) -> str:
    name = (name or "").strip()
    if name not in available_timezones():
        raise SettingsError("timezone", "Choose a time zone from the list.")
    return name


def update_settings(user: User, data: SettingsInput) -> User:
    try:
        name = clean_person_name(data.name)  # the sign-up's rule (services/accounts/rules.py)
    except InvalidAccountField as error:
        raise SettingsError(error.field, error.message) from None
    zone = check_time_zone(data.timezone)
    if data.week_start not in range(7):
        raise SettingsError("week_start", "Choose a day of the week.")
    user.name = name
    user.timezone = zone
    user.timezone_chosen = True
    user.week_start = data.week_start
    user.clock_24h = data.clock_24h
    db.session.commit()
    return user


def use_time_zone(user: User, name: str) -> User:
    """The one-click "use my browser's zone" from the first-visit offer."""
    user.timezone = check_time_zone(name)
    user.timezone_chosen = True
    db.session.commit()
    return user


def keep_time_zone(user: User) -> User:
    """The offer declined: the current zone counts as chosen, the offer is not shown again."""
    user.timezone_chosen = True
    db.session.commit()
    return user
