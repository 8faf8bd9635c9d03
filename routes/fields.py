"""Small helpers the forms of every feature share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from wtforms import Field, Form
from wtforms.validators import ValidationError

from services.platform.text import UNPRINTABLE_MESSAGE, is_printable

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


def printable(_form: Form, field: Field) -> None:
    """One-line text: the services' rule (services/platform/text.py) as a field error."""
    if not is_printable(field.data or ""):
        raise ValidationError(UNPRINTABLE_MESSAGE)


def printable_multiline(_form: Form, field: Field) -> None:
    """Like :func:`printable`, but line breaks and tabs are allowed (a note)."""
    if not is_printable(field.data or "", multiline=True):
        raise ValidationError(UNPRINTABLE_MESSAGE)


def service_rule(check: Callable[[str], object]) -> Callable[[Form, Field], None]:
    """A WTForms validator that runs a rule of the services (``check`` raises an error whose
    ``message`` is for a person): the form shows the same message the CLI and the API give."""

    def validate(_form: Form, field: Field) -> None:
        try:
            check(field.data or "")
        except ValueError as error:
            raise ValidationError(getattr(error, "message", str(error))) from None

    return validate
