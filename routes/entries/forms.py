"""The time entry form. It checks the shape of the input (required, a real date or time, a
duration it can read); every rule about the values (the years accepted, the note's length, the
task's owner, 24 h a day) lives in services/timesheet/entries.py, which the JSON API calls too."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Optional, ValidationError

from models import Task
from routes.fields import required, strip
from services.timesheet.dates import DURATION_FORMS, BadDate, parse_duration
from services.timesheet.entries import NOTE_MAX_LENGTH, EntryInput

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]  # browsers send seconds when the input has a step


def task_label(task: Task) -> str:
    project = task.project.name + (" (archived)" if task.project.archived else "")
    return f"{project} — {task.name}" + (" (closed)" if task.closed else "")


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
    end = TimeField(
        "or end",
        format=TIME_FORMATS,
        validators=[Optional()],
        description="An end before the start is on the next day; the entry counts on the day"
        " it starts.",
    )
    note = TextAreaField(
        "Note",
        filters=[strip],
        render_kw={"rows": 2, "maxlength": NOTE_MAX_LENGTH},
    )

    def set_task_choices(self, tasks: list[Task]) -> None:
        """Each option reads "Project — Task": a closed select shows only the chosen option, and
        "Meetings" in two projects must not look the same."""
        self.task_id.choices = [(task.id, task_label(task)) for task in tasks]

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
