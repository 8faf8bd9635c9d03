"""Invitations by email: an admin invites an address with a role; the link in the mail lets the
person join, with the account they have or one they make from the link.

The link carries a random 256-bit token; only its SHA-256 is stored, so the database holds no
working links. It works once (``accepted_at``), until ``TEAM_INVITATION_MAX_AGE`` seconds have
passed, and not after an admin revoked it. Accepting needs the invited address: a signed-in user
with another email is told so, not joined.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import select

from extensions import db
from models import Invitation, Membership, User
from models.columns import utcnow
from models.membership import ROLES
from services import access
from services.accounts import rules
from services.accounts import users as accounts
from services.platform import mail
from services.teams.members import AboveOwnRole, InvalidTeamField, TeamConflict

TOKEN_PATTERN_LENGTH = 43  # secrets.token_urlsafe(32)


class InvalidInvitation(Exception):
    """The link cannot be used; ``str(error)`` says why, for the person holding it."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitations(team_id: int) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.team_id == team_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def invite(
    actor: User, team_id: int, email: str, role: str, accept_url_for: Callable[[str], str]
) -> Invitation:
    """Store an invitation and mail its link (``accept_url_for(token)`` builds it)."""
    membership = access.require_in_team(actor.id, team_id, "manage_members")
    try:
        email = rules.clean_new_email(email)
    except rules.InvalidAccountField as error:
        raise InvalidTeamField("email", error.message) from None
    if role not in ROLES:
        raise InvalidTeamField("role", "Choose one of the roles.")
    if access.rank(role) > access.rank(membership.role):
        raise AboveOwnRole(f"You can invite up to your own role ({membership.role}).")
    already = db.session.scalar(
        select(Membership.id)
        .join(Membership.user)
        .where(Membership.team_id == team_id, Membership.left_at.is_(None), User.email == email)
    )
    if already is not None:
        raise TeamConflict(f"{email} is a member of this team already.")
    token = secrets.token_urlsafe(32)
    max_age = int(current_app.config["TEAM_INVITATION_MAX_AGE"])
    invitation = Invitation(
        team_id=team_id,
        email=email,
        role=role,
        token_hash=hash_token(token),
        expires_at=utcnow() + timedelta(seconds=max_age),
        invited_by_id=actor.id,
    )
    db.session.add(invitation)
    db.session.commit()
    body = render_template(
        "mail/invitation.txt",
        inviter=actor.name,
        team=membership.team.name,
        role=role,
        accept_url=accept_url_for(token),
        max_age_days=max(1, max_age // 86400),
    )
    mail.send_email(email, f"{actor.name} invites you to {membership.team.name} on Timesheet", body)
    return invitation


def team_invitations(actor: User, team_id: int) -> list[Invitation]:
    """The open invitations of a team, for those who manage its members."""
    access.require_in_team(actor.id, team_id, "manage_members")
    return open_invitations(team_id)


def get_invitation(actor: User, team_id: int, invitation_id: int) -> Invitation:
    """One invitation of the team (open, used or revoked), for those who manage its members;
    LookupError for another team's or none."""
    access.require_in_team(actor.id, team_id, "manage_members")
    invitation = (
        db.session.scalar(
            select(Invitation).where(Invitation.id == invitation_id, Invitation.team_id == team_id)
        )
        if access.is_possible_id(invitation_id)
        else None
    )
    if invitation is None:
        raise LookupError("no such invitation")
    return invitation


def revoke(actor: User, team_id: int, invitation_id: int) -> Invitation:
    invitation = get_invitation(actor, team_id, invitation_id)
    if not invitation.open:
        raise TeamConflict("This invitation was used or revoked already.")
    invitation.revoked_at = utcnow()
    db.session.commit()
    return invitation


def invitation_for(token: str) -> Invitation:
    """The open, unexpired invitation of a link, or InvalidInvitation."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise InvalidInvitation(
            "This invitation link is not valid. Check that you copied all of it."
        )
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None:
        raise InvalidInvitation(
            "This invitation link is not valid. Check that you copied all of it."
        )
    if invitation.accepted_at is not None:
        raise InvalidInvitation("This invitation has been used already.")
    if invitation.revoked_at is not None:
        raise InvalidInvitation("This invitation was withdrawn. Ask the team for a new one.")
    if invitation.expires_at <= utcnow():
        raise InvalidInvitation("This invitation has expired. Ask the team for a new one.")
    return invitation


def accept(user: User, token: str) -> Membership:
    """Join the team as the invited role (a former member comes back); the team becomes the
    user's current one."""
    invitation = invitation_for(token)
    if user.email != invitation.email:
        raise InvalidInvitation(
            f"This invitation is for {invitation.email}: log in with that address to accept it."
        )
    membership = db.session.scalar(access.person_in_team(invitation.team_id, user.id))
    if membership is None:
        membership = Membership(team_id=invitation.team_id, user_id=user.id, role=invitation.role)
        db.session.add(membership)
    elif membership.left_at is not None:
        membership.left_at, membership.role = None, invitation.role
    invitation.accepted_at = utcnow()
    user.current_team_id = invitation.team_id
    db.session.commit()
    return membership


def sign_up_and_accept(token: str, name: str, password: str) -> User:
    """A new account for the invited address, confirmed (following the mailed link proves the
    address is theirs), then accept."""
    invitation = invitation_for(token)
    user = accounts.create_account(name, invitation.email, password, confirmed=True)
    accept(user, token)
    return user


def account_exists(invitation: Invitation) -> bool:
    return accounts.find_user_by_email(invitation.email) is not None
