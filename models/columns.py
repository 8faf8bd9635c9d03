"""Column types and mixins shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Now, aware, in UTC. Used as a column default so it runs once per row, not once at import."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones, so the value is stored as naive UTC
    and made aware again on the way out. Naive datetimes are refused: their meaning is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: attach a time zone before storing it")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value
        if stored.tzinfo is None:
            return stored.replace(tzinfo=UTC)
        return stored.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# casefold() can lengthen a name ("ß" -> "ss"); three times a 100-character name is always enough.
NAME_KEY_LENGTH = 300


def name_key(name: str) -> str:
    """What makes two names "the same": case and spacing ignored. casefold, not lower, so that
    "Straße" and "STRASSE" match; computed here, in Python, so SQLite (whose lower() knows only
    ASCII) and PostgreSQL agree. A unique constraint on this key closes the race that a
    check-then-insert leaves open."""
    return " ".join(name.split()).casefold()


# Integer primary keys are 32-bit on PostgreSQL: comparing one with a larger number raises
# "integer out of range". URL converters and the lookups stop bigger ids before any query.
ID_MAX = 2**31 - 1
