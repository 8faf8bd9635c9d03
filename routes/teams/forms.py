"""Forms of the team pages. Limits come from the services (one place)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField

# wtforms 3.3 wants SelectChoice (tuples are deprecated); the stubs predate it.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from models.membership import ROLES
from routes.auth.forms import name_field, new_password_fields
from routes.fields import strip
from services.accounts.rules import EMAIL_MAX_LENGTH
from services.accounts.teams import TEAM_NAME_MAX_LENGTH
from services.teams.members import MAX_GRACE_DAYS

ROLE_CHOICES = [SelectChoice(role, role.capitalize()) for role in ROLES]


class TeamNameForm(FlaskForm):
    name = StringField(
        "Team name",
        filters=[strip],
        validators=[
            InputRequired("Enter a name for the team."),
            Length(max=TEAM_NAME_MAX_LENGTH, message=f"At most {TEAM_NAME_MAX_LENGTH} characters."),
        ],
        render_kw={"maxlength": TEAM_NAME_MAX_LENGTH, "autocomplete": "off"},
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired("Enter the email address to invite."),
            Length(max=EMAIL_MAX_LENGTH),
        ],
        render_kw={"maxlength": EMAIL_MAX_LENGTH, "autocomplete": "off"},
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default="member")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class GraceForm(FlaskForm):
    lock_after_days = IntegerField(
        "Lock weeks automatically after (days)",
        validators=[
            Optional(),
            NumberRange(0, MAX_GRACE_DAYS, f"Choose between 0 and {MAX_GRACE_DAYS} days."),
        ],
        description="Empty: only an approval locks a week.",
        render_kw={"min": 0, "max": MAX_GRACE_DAYS, "inputmode": "numeric"},
    )


class InvitationSignupForm(FlaskForm):
    """A new account for the invited address: the email comes from the invitation."""

    name = name_field()
    password, password_confirm = new_password_fields("Password")
