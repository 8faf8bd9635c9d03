"""Flask-WTF forms of the account pages. The rules of a name, an address and a new password live
in services/accounts/rules.py (the CLI and the services call them too); the forms run them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from routes.fields import service_rule, strip
from services.accounts.rules import (
    EMAIL_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    check_new_password,
    clean_new_email,
    clean_person_name,
)


def email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired(message="Enter your email address."),
            service_rule(clean_new_email),
        ],
    )


def new_password_fields(label: str = "New password") -> tuple[PasswordField, PasswordField]:
    """A password and its confirmation, to be named ``password`` and ``password_confirm``."""
    password = PasswordField(
        label,
        validators=[DataRequired(message="Choose a password."), service_rule(check_new_password)],
    )
    confirm = PasswordField(
        f"Repeat the {label.lower()}",
        validators=[
            DataRequired(message="Repeat the password."),
            EqualTo("password", message="The two passwords do not match."),
        ],
    )
    return password, confirm


def name_field() -> StringField:
    return StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired(message="Enter your name."), service_rule(clean_person_name)],
    )


def current_password_field() -> PasswordField:
    return PasswordField(
        "Current password",
        validators=[
            DataRequired(message="Enter your current password."),
            Length(max=PASSWORD_MAX_LENGTH, message="The current password is not correct."),
        ],
    )


class RegisterForm(FlaskForm):
    name = name_field()
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
    current_password = current_password_field()
    password, password_confirm = new_password_fields()


class ChangeEmailForm(FlaskForm):
    # Named "email": the per-account rate limit counts the mails to this address.
    email = email_field("New email address")
    current_password = current_password_field()


class ResetRequestForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, password_confirm = new_password_fields()


class ResendConfirmationForm(FlaskForm):
    email = email_field()


class ConfirmEmailForm(FlaskForm):
    """Only the CSRF token: the link's token is in the URL (address confirmation and change)."""
