"""Small helpers the forms of every feature share."""

from __future__ import annotations

from typing import Any, TypeVar

from wtforms import Field

T = TypeVar("T")


def strip(value: Any) -> Any:
    """A WTForms filter: surrounding white space is never part of a value."""
    return value.strip() if isinstance(value, str) else value


def required(value: T | None) -> T:
    """The data of a field whose validator requires it, read after ``validate_on_submit()``:
    WTForms types every field's data as optional, so this states (and checks) that it is set."""
    if value is None:
        raise ValueError("read a required field before the form was validated")
    return value


def add_error(field: Field, message: str) -> None:
    """Show a rule the service refused under its field, next to the form's own messages."""
    field.errors = [*field.errors, message]
