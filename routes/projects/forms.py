"""The name form of projects and tasks. The length limit comes from the service (one place)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from routes.fields import printable, strip
from services.projects.projects import NAME_MAX_LENGTH


class NameForm(FlaskForm):
    """Create or rename a project or a task."""

    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            InputRequired(message="Enter a name."),
            Length(
                max=NAME_MAX_LENGTH,
                message=f"Keep the name to {NAME_MAX_LENGTH} characters or fewer.",
            ),
            printable,
        ],
        render_kw={"maxlength": NAME_MAX_LENGTH, "autocomplete": "off"},
    )

    def validate_name(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Enter a name.")
