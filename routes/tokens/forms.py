"""The new-token form. The choices are what the page offers; the rules (name required and its
length, the scopes, the expiry range) live in services/tokens/personal.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField

# SelectChoice is new in WTForms 3.3 (tuples are deprecated there); types-wtforms lacks it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from models.api_token import TOKEN_NAME_MAX_LENGTH
from routes.fields import strip

EXPIRY_CHOICES = [
    SelectChoice("30", "30 days"),
    SelectChoice("90", "90 days"),
    SelectChoice("365", "1 year"),
    SelectChoice("", "Never"),
]


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[strip],
        description="What will use it, e.g. “invoice script”",
        render_kw={"maxlength": TOKEN_NAME_MAX_LENGTH, "autocomplete": "off"},
    )
    scope = RadioField(
        "Access",
        choices=[SelectChoice("read", "Read only"), SelectChoice("write", "Read and write")],
        default="read",
    )
    expires_in_days = SelectField("Expires after", choices=EXPIRY_CHOICES, default="90")

    def expiry_days(self) -> int | None:
        value = self.expires_in_days.data
        return int(value) if value else None
