"""Small helpers the forms of every feature share."""

from __future__ import annotations

from typing import Any


def strip(value: Any) -> Any:
    """A WTForms filter: surrounding white space is never part of a value."""
    return value.strip() if isinstance(value, str) else value
