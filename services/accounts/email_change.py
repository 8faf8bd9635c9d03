"""Changing the address of an account, proven by a link mailed to the NEW address.

The rules, written once (the page calls them; a CLI would too):

- asking needs the current password, and a valid address other than the current one;
- the answer is the same whether or not the new address has an account (no enumeration), and so
  is the work: one lookup, one mail to the new address, one notice to the old one. A free address
  gets a signed link (``signed_links.EMAIL_CHANGE``, carrying the new address); a taken one gets a
  mail telling its owner someone tried, and nothing changes;
- nothing changes until the link is followed: the old address still logs in. Following it
  (signed in or not) switches the address if it is still free, confirms it (the mail proved it),
  rotates the session token (reset links mailed to the old address die) and ends every other
  sign-in, like a password change: the address is what a password reset goes to;
- the link is single use: the address it would replace is part of its fingerprint, so using it,
  or any other change of the address or the password, makes it "already used".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import User
from models.columns import utcnow
from services.accounts import rules, sessions, signed_links
from services.accounts.passwords import verify_password
from services.accounts.users import EmailTaken, WrongPassword, find_user_by_email
from services.platform import mail


class SameEmail(Exception):
    """The new address is the account's current one."""


@dataclass(frozen=True)
class EmailChangeLinks:
    """The absolute links these mails carry; the interface builds them (it knows the host)."""

    confirm_url_for: Callable[[str], str]  # token -> the page that makes the change
    login_url: str
    reset_url: str


def request_email_change(
    user: User, current_password: str, new_email: str, links: EmailChangeLinks
) -> str:
    """Mail a link to ``new_email`` (or, when it has an account, a "someone tried" note to its
    owner) and a notice to the current address; returns the cleaned new address. Raises
    WrongPassword, InvalidAccountField or SameEmail; changes nothing in the database."""
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword
    new_email = rules.clean_new_email(new_email)
    if new_email == user.email:
        raise SameEmail
    if find_user_by_email(new_email) is None:
        token = signed_links.make_token(signed_links.EMAIL_CHANGE, user, data=new_email)
        subject = "Confirm your new Timesheet address"
        body = render_template(
            "mail/email_change_confirm.txt",
            name=user.name,
            confirm_url=links.confirm_url_for(token),
            max_age_hours=max(1, signed_links.EMAIL_CHANGE.max_age() // 3600),
        )
    else:
        subject = "Someone tried to move an account to your address"
        body = render_template(
            "mail/email_change_attempt.txt", login_url=links.login_url, reset_url=links.reset_url
        )
    mail.send_email(new_email, subject, body)
    notice = render_template(
        "mail/email_change_requested.txt",
        name=user.name,
        new_email=new_email,
        reset_url=links.reset_url,
    )
    mail.send_email(user.email, "Your Timesheet address is being changed", notice)
    return new_email


def pending_change(token: str) -> tuple[User, str]:
    """The account and the new address a link is for, or InvalidLink (without changing a thing:
    the page shows a button first, as mail scanners open links)."""
    user, new_email = signed_links.user_and_data_for_token(signed_links.EMAIL_CHANGE, token)
    try:
        return user, rules.clean_new_email(new_email)
    except rules.InvalidAccountField:  # signed by us, so only after a rule changed
        raise signed_links.InvalidLink(signed_links.EMAIL_CHANGE.invalid) from None


def confirm_email_change(token: str, keep_session_key: str | None) -> tuple[User, str]:
    """Make the change a link asks for; commits, then mails the old address. Returns the user and
    the old address. Raises InvalidLink, or EmailTaken when another account took the address
    since the link was sent. Every sign-in but ``keep_session_key`` ends."""
    user, new_email = pending_change(token)
    # Lock the row and check the link again: of two links followed at once, one wins.
    db.session.refresh(user, with_for_update=True)
    user, new_email = pending_change(token)
    owner = find_user_by_email(new_email)
    if owner is not None and owner.id != user.id:
        db.session.rollback()
        raise EmailTaken(new_email)
    old_email = user.email
    try:
        user.email = new_email
        user.email_confirmed_at = utcnow()
        user.rotate_session_token()
        # (this statement flushes the new address: the unique constraint may speak here)
        sessions.end_other_sessions(user, keep_key=keep_session_key)
        db.session.commit()
    except IntegrityError:  # taken by a concurrent sign-up: the unique constraint noticed
        db.session.rollback()
        raise EmailTaken(new_email) from None
    body = render_template(
        "mail/email_changed.txt", name=user.name, old_email=old_email, new_email=new_email
    )
    mail.send_email(old_email, "Your Timesheet address was changed", body)
    return user, old_email
