"""The name form of projects and tasks. The rules of a name (required, its length, unique)
live in services/projects/projects.py (``clean_name``), which the JSON API calls too; the form
only carries the value and tells the browser the length limit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField

from routes.fields import strip
from services.projects.projects import NAME_MAX_LENGTH


class NameForm(FlaskForm):
    """Create or rename a project or a task."""

    name = StringField(
        "Name",
        filters=[strip],
        render_kw={"maxlength": NAME_MAX_LENGTH, "autocomplete": "off"},
    )
