"""The timer's start form (in the top bar of every page). Its fields are named ``timer_*`` so
they never clash with the fields of the page around them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, Length

from models.timer import NOTE_LENGTH
from routes.auth.next_url import safe_next_path
from routes.fields import strip


class TimerStartForm(FlaskForm):
    timer_task = IntegerField(
        "Task", validators=[InputRequired(message="Choose a task to start the timer on.")]
    )
    timer_note = StringField(
        "Note",
        filters=[strip],
        validators=[
            Length(max=NOTE_LENGTH, message=f"Keep the note to {NOTE_LENGTH} characters or fewer.")
        ],
    )
    next = HiddenField()

    def back_to(self) -> str | None:
        return safe_next_path(self.next.data)


class TimerStopForm(FlaskForm):
    next = HiddenField()

    def back_to(self) -> str | None:
        return safe_next_path(self.next.data)
