"""The settings form and the account deletion form. The rules (a known zone, a weekday, the
name's length) live in services/accounts/settings.py; these check the shape."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired

from routes.fields import strip
from services.accounts.settings import WEEKDAYS, SettingsInput, time_zones


class SettingsForm(FlaskForm):
    name = StringField(
        "Name", filters=[strip], validators=[InputRequired(message="Enter your name.")]
    )
    timezone = SelectField("Time zone", validate_choice=False)
    week_start = SelectField(
        "First day of the week",
        coerce=int,
        # value -> label (WTForms' shorthand; tuples are deprecated in WTForms 3.3)
        choices={str(number): day for number, day in enumerate(WEEKDAYS)},
        validate_choice=False,
    )
    clock_24h = BooleanField("24-hour clock (14:30 rather than 2:30 pm)")

    def set_zone_choices(self, current: str) -> None:
        zones = time_zones()
        names = zones if current in zones else (current, *zones)
        self.timezone.choices = {name: name for name in names}

    def to_input(self) -> SettingsInput:
        return SettingsInput(
            name=self.name.data or "",
            timezone=self.timezone.data or "",
            week_start=self.week_start.data if self.week_start.data is not None else -1,
            clock_24h=bool(self.clock_24h.data),
        )


class ZoneOfferForm(FlaskForm):
    """The first-visit offer: use the browser's zone, or keep the current one."""

    timezone = HiddenField()
    choice = HiddenField()


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password", validators=[InputRequired(message="Enter your password to confirm.")]
    )
