"""Flask-WTF forms of the account pages. Limits come from services.accounts.users and the config."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from routes.fields import printable, strip
from services.accounts.users import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH


def password_length(_form: FlaskForm, field: Field) -> None:
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(field.data or "") < minimum:
        raise ValidationError(f"Use at least {minimum} characters.")
    if len(field.data) > PASSWORD_MAX_LENGTH:
        raise ValidationError(f"Use at most {PASSWORD_MAX_LENGTH} characters.")


def email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired(message="Enter your email address."),
            Length(max=EMAIL_MAX_LENGTH, message=f"Use at most {EMAIL_MAX_LENGTH} characters."),
            Email(message="Enter a valid email address, like name@example.com."),
        ],
    )


def new_password_fields(label: str = "New password") -> tuple[PasswordField, PasswordField]:
    """A password and its confirmation, to be named ``password`` and ``password_confirm``."""
    password = PasswordField(
        label, validators=[DataRequired(message="Choose a password."), password_length]
    )
    confirm = PasswordField(
        f"Repeat the {label.lower()}",
        validators=[
            DataRequired(message="Repeat the password."),
            EqualTo("password", message="The two passwords do not match."),
        ],
    )
    return password, confirm


class RegisterForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired(message="Enter your name."),
            Length(max=NAME_MAX_LENGTH, message=f"Use at most {NAME_MAX_LENGTH} characters."),
            printable,
        ],
    )
    email = email_field()
    password, password_confirm = new_password_fields("Password")


class LoginForm(FlaskForm):
    # No format check: any wrong input gets the same "invalid email or password" answer.
    email = StringField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired(message="Enter your email address."),
            Length(max=EMAIL_MAX_LENGTH, message="Invalid email or password."),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(message="Enter your password."),
            Length(max=PASSWORD_MAX_LENGTH, message="Invalid email or password."),
        ],
    )
    remember = BooleanField("Keep me logged in on this device")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[
            DataRequired(message="Enter your current password."),
            Length(max=PASSWORD_MAX_LENGTH, message="The current password is not correct."),
        ],
    )
    password, password_confirm = new_password_fields()


class ResetRequestForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, password_confirm = new_password_fields()


class ResendConfirmationForm(FlaskForm):
    email = email_field()


class ConfirmEmailForm(FlaskForm):
    """Only the CSRF token: the link's token is in the URL."""
