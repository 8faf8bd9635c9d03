"""The rules of an account's fields, written once: the sign-up form, the team invitation's sign-up,
the CLI's ``create-user`` and the services themselves all call these functions.

Each returns the cleaned value or raises :class:`InvalidAccountField` with a message for a person.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from services.platform.text import UNPRINTABLE_MESSAGE, is_printable

NAME_MAX_LENGTH = 100  # users.name
EMAIL_MAX_LENGTH = 254  # users.email, and the limit of a forward path in SMTP
PASSWORD_MAX_LENGTH = 128  # hashing megabytes of "password" is a cheap denial of service


class InvalidAccountField(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def clean_person_name(name: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise InvalidAccountField("name", "Enter your name.")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise InvalidAccountField("name", f"Use at most {NAME_MAX_LENGTH} characters.")
    if not is_printable(cleaned):
        raise InvalidAccountField("name", UNPRINTABLE_MESSAGE)
    return cleaned


def clean_new_email(email: str) -> str:
    """An address to create an account with: the stored form (stripped, lower-case)."""
    cleaned = (email or "").strip().lower()
    if not cleaned:
        raise InvalidAccountField("email", "Enter your email address.")
    if len(cleaned) > EMAIL_MAX_LENGTH:
        raise InvalidAccountField("email", f"Use at most {EMAIL_MAX_LENGTH} characters.")
    try:
        validate_email(cleaned, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidAccountField(
            "email", "Enter a valid email address, like name@example.com."
        ) from None
    return cleaned


def check_new_password(password: str) -> str:
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password or "") < minimum:
        raise InvalidAccountField("password", f"Use at least {minimum} characters.")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise InvalidAccountField("password", f"Use at most {PASSWORD_MAX_LENGTH} characters.")
    return password
