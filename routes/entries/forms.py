"""The time entry form. They check the shape of the input (required, length,
a real date or time); the rules that need the database (unique names, the task's owner, 24 h a
day) live in the services, which the routes call after the form validated."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from models import Task
from routes.fields import printable_multiline, required, strip
from services.timesheet.dates import DURATION_FORMS, BadDate, check_year, parse_duration
from services.timesheet.entries import NOTE_MAX_LENGTH, EntryInput

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]  # browsers send seconds when the input has a step


class EntryForm(FlaskForm):
    task_id = SelectField(
        "Task",
        coerce=int,
        # The service decides which task ids are the user's; a foreign id gets its message there.
        validate_choice=False,
        validators=[InputRequired(message="Choose a task.")],
    )
    day = DateField("Date", validators=[InputRequired(message="Enter the date.")])
    start = TimeField(
        "Start", format=TIME_FORMATS, validators=[InputRequired(message="Enter the start time.")]
    )
    duration = StringField(
        "Duration",
        filters=[strip],
        validators=[Optional()],
        description=DURATION_FORMS,
        render_kw={"placeholder": "1:30", "autocomplete": "off", "inputmode": "text"},
    )
    end = TimeField("or end", format=TIME_FORMATS, validators=[Optional()])
    note = TextAreaField(
        "Note",
        filters=[strip],
        validators=[
            Length(
                max=NOTE_MAX_LENGTH,
                message=f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer.",
            ),
            printable_multiline,
        ],
        render_kw={"rows": 2, "maxlength": NOTE_MAX_LENGTH},
    )

    def set_task_choices(self, tasks: list[Task]) -> None:
        """Group the tasks by project in the select (``<optgroup>``)."""
        groups: dict[str, list[tuple[int, str]]] = {}
        for task in tasks:
            label = task.project.name + (" (archived)" if task.project.archived else "")
            name = task.name + (" (closed)" if task.closed else "")
            groups.setdefault(label, []).append((task.id, name))
        self.task_id.choices = groups

    def validate_day(self, field: DateField) -> None:
        if field.data is None:  # not a date at all: the field already says so
            return
        try:
            check_year(field.data)
        except BadDate as error:
            raise ValidationError(str(error)) from None

    def validate_duration(self, field: StringField) -> None:
        try:
            parse_duration(required(field.data))  # Optional() skips this when empty
        except BadDate as error:
            raise ValidationError(str(error)) from None

    def to_input(self) -> EntryInput:
        minutes = parse_duration(self.duration.data) if self.duration.data else None
        return EntryInput(
            task_id=self.task_id.data,
            day=required(self.day.data),
            start=required(self.start.data),
            minutes=minutes,
            end=self.end.data,
            note=self.note.data or "",
        )
