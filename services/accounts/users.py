"""Accounts: loading the logged-in user, sign-up with a confirmed address, login, password change
and reset.

Emails are stored normalized (stripped, lower-case), so the unique constraint on ``users.email``
also refuses the same address in another case. Changing or resetting a password ends every other
sign-in of that user (services/accounts/sessions.py) and replaces the session token that
outstanding reset links are bound to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import User
from models.columns import utcnow
from services.accounts import rules, sessions, signed_links
from services.accounts.passwords import hash_password, verify_password
from services.accounts.rules import EMAIL_MAX_LENGTH
from services.accounts.teams import found_team, personal_team_name
from services.platform import mail, queue

RESET_TASK = "accounts.password_reset"
SIGN_UP_TASK = "accounts.sign_up"
# Stand for the token in the links the web app builds; the worker puts the real one in.
RESET_TOKEN_PLACEHOLDER = "RESET-TOKEN"  # noqa: S105  (a placeholder, not a secret)
CONFIRM_TOKEN_PLACEHOLDER = "CONFIRM-TOKEN"  # noqa: S105


class EmailTaken(Exception):
    """Another account already uses this email."""


class InvalidCredentials(Exception):
    """Unknown email or wrong password: deliberately one error for both."""


class InactiveAccount(Exception):
    """The password is right but the account is switched off."""


class UnconfirmedEmail(Exception):
    """The password is right but the address was never confirmed (the link in the sign-up mail)."""


class WrongPassword(Exception):
    """The current password given to confirm a change is wrong."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    email = normalize_email(email)
    if "\x00" in email or len(email) > EMAIL_MAX_LENGTH:
        return None  # cannot be stored, so nobody has it (and PostgreSQL would raise on NUL)
    return db.session.scalar(select(User).where(User.email == email))


@dataclass(frozen=True)
class AccountLinks:
    """The absolute links account mails carry; the interface builds them (it knows the host).
    Plain strings, so they travel in a task message to the worker."""

    confirm_link_template: str  # the confirmation link with CONFIRM_TOKEN_PLACEHOLDER for the token
    login_url: str
    reset_url: str  # the page that asks for a reset link

    def confirm_url_for(self, token: str) -> str:
        return self.confirm_link_template.replace(CONFIRM_TOKEN_PLACEHOLDER, token)


def create_account(name: str, email: str, password: str, *, confirmed: bool) -> User:
    """Create and commit an account, or raise EmailTaken (also when a concurrent request wins
    the race and the database's unique constraint is what notices). ``confirmed``: the address
    is known to belong to this person (the CLI); otherwise the account waits for the link.
    A field that breaks a rule of services/accounts/rules.py raises InvalidAccountField."""
    rules.check_new_password(password)
    return _insert_account(name, email, hash_password(password), confirmed=confirmed)


def _insert_account(name: str, email: str, password_hash: str, *, confirmed: bool) -> User:
    name = rules.clean_person_name(name)
    email = rules.clean_new_email(email)
    if find_user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(
        name=name,
        email=email,
        password_hash=password_hash,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    try:
        db.session.flush()
        found_team(user, personal_team_name(user.name))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise EmailTaken(email) from None
    return user


def sign_up(name: str, email: str, password: str, links: AccountLinks) -> None:
    """Sign-up that never tells whether an address has an account: the caller answers "check
    your mail" in every case, and this does the same work either way. A new address gets an
    unconfirmed account and a confirmation link; a known one gets a mail telling its owner
    someone tried, and nothing about the account changes.

    The same work also means the same time: a new address costs an INSERT and a commit that a
    known one does not (measured: +4 ms on SQLite, +7 ms on PostgreSQL, medians). So with worker
    delivery (production) the request only hashes the password and queues one
    ``accounts.sign_up`` task, whichever the address, and the worker does the rest
    (:func:`complete_sign_up`). The message carries the password's hash, never the password.
    Broker down: the sign-up is done here rather than lost (its mail then fails to queue and is
    logged; the person can ask for a new link)."""
    password_hash = hash_password(password)
    if current_app.config.get("MAIL_DELIVERY", "worker") == "worker":
        try:
            queue.enqueue(
                SIGN_UP_TASK,
                name,
                email,
                password_hash,
                links.confirm_link_template,
                links.login_url,
                links.reset_url,
            )
            return
        except queue.QueueUnavailable:
            current_app.logger.error("Could not queue a sign-up (broker down): done in the request")
    complete_sign_up(name, email, password_hash, links)


def complete_sign_up(name: str, email: str, password_hash: str, links: AccountLinks) -> bool:
    """The sign-up's work, in the worker (or the request): an unconfirmed account and its
    confirmation mail, or the "someone tried" mail to the owner of a known address. True when
    an account was made. A field the rules refuse (the form checked them, so only after a rule
    changed while the task waited) is logged and dropped: trying again cannot help."""
    try:
        user = _insert_account(name, email, password_hash, confirmed=False)
    except EmailTaken:
        _mail_sign_up_attempt(normalize_email(email), links)
        return False
    except rules.InvalidAccountField as error:
        current_app.logger.warning("Sign-up dropped: %s (%s)", error.message, error.field)
        return False
    send_confirmation(user, links)
    return True


def send_confirmation(user: User, links: AccountLinks) -> None:
    token = signed_links.make_token(signed_links.EMAIL_CONFIRMATION, user)
    body = render_template(
        "mail/confirm_email.txt",
        name=user.name,
        confirm_url=links.confirm_url_for(token),
        max_age_hours=max(1, signed_links.EMAIL_CONFIRMATION.max_age() // 3600),
    )
    mail.send_email(user.email, "Confirm your Timesheet account", body)


def _mail_sign_up_attempt(email: str, links: AccountLinks) -> None:
    body = render_template(
        "mail/sign_up_attempt.txt", login_url=links.login_url, reset_url=links.reset_url
    )
    mail.send_email(email, "Someone tried to sign up with your address", body)


def resend_confirmation(email: str, links: AccountLinks) -> None:
    """Mail a new confirmation link when an active, unconfirmed account has this address;
    otherwise do nothing. The caller answers the same in every case (like a reset request)."""
    user = find_user_by_email(email)
    if user is None or not user.active or user.is_email_confirmed:
        return
    send_confirmation(user, links)


def confirm_email(token: str) -> User:
    """Mark the address of the token's account confirmed; commits. Raises InvalidLink (a second
    use says "already confirmed": confirming changes what the token was bound to)."""
    user = signed_links.user_for_token(signed_links.EMAIL_CONFIRMATION, token)
    user.email_confirmed_at = utcnow()
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User:
    """The user these credentials belong to, or InvalidCredentials / InactiveAccount /
    UnconfirmedEmail (the last two only after the right password: they tell the account exists)."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        raise InvalidCredentials
    assert user is not None
    if not user.active:
        raise InactiveAccount
    if not user.is_email_confirmed:
        raise UnconfirmedEmail
    return user


def set_password(user: User, new_password: str, keep_session_key: str | None = None) -> None:
    """Store a new password and end every sign-in but ``keep_session_key`` (and every reset link
    sent before); commits once, so the new password and the ended sessions go together."""
    user.password_hash = hash_password(new_password)
    user.rotate_session_token()
    sessions.end_other_sessions(user, keep_key=keep_session_key)
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """The signed-in user changes their password: this sign-in goes on, every other one ends."""
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword
    set_password(user, new_password, keep_session_key=user.session_key)


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a reset token; raises signed_links.InvalidLink. The link came by
    mail, so following it proves the address is this person's: it also confirms it."""
    user = signed_links.user_for_token(signed_links.PASSWORD_RESET, token)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    set_password(user, new_password)
    return user


def request_password_reset(email: str, reset_url_for: Callable[[str], str]) -> None:
    """Ask for a reset mail. The caller answers the same whether or not the email is known, and
    this does the same work in both cases too: with worker delivery (production) it queues one
    ``accounts.password_reset`` task, and the worker looks the address up. Looking it up here
    would take measurably longer for a known address (token, template, a second task), which
    tells an attacker which addresses have accounts. ``reset_url_for(token)`` builds the link."""
    link_template = reset_url_for(RESET_TOKEN_PLACEHOLDER)
    if current_app.config.get("MAIL_DELIVERY", "worker") == "worker":
        try:
            queue.enqueue(RESET_TASK, email, link_template)
        except queue.QueueUnavailable:
            current_app.logger.error("Could not queue a password reset (broker down)")
    else:
        mail_password_reset(email, link_template)


def mail_password_reset(email: str, link_template: str) -> bool:
    """Mail a reset link when an active account has this email; otherwise do nothing. The link is
    ``link_template`` with the token in place of RESET_TOKEN_PLACEHOLDER."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return False
    token = signed_links.make_token(signed_links.PASSWORD_RESET, user)
    body = render_template(
        "mail/password_reset.txt",
        name=user.name,
        reset_url=link_template.replace(RESET_TOKEN_PLACEHOLDER, token),
        max_age_minutes=max(1, signed_links.PASSWORD_RESET.max_age() // 60),
    )
    return mail.send_email(user.email, "Reset your Timesheet password", body)
