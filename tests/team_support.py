"""Team helpers for tests that insert rows directly: a user's personal team (made on first use,
as registration makes one), memberships with a role."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from extensions import db
from models import Membership, User
from services.accounts.teams import found_team, personal_team_name


def personal_team_id(user_id: int) -> int:
    """The team the user owns (the oldest), founded now if they have none. Needs an app
    context; commits."""
    team_id = db.session.scalar(
        select(Membership.team_id)
        .where(Membership.user_id == user_id, Membership.role == "owner")
        .order_by(Membership.id)
        .limit(1)
    )
    if team_id is None:
        user = db.session.get(User, user_id)
        team_id = found_team(user, personal_team_name(user.name)).id
        db.session.commit()
    return team_id


def team_of(app: Flask, user_id: int) -> int:
    with app.app_context():
        return personal_team_id(user_id)


def add_member(app: Flask, team_id: int, user_id: int, role: str = "member") -> int:
    with app.app_context():
        membership = Membership(team_id=team_id, user_id=user_id, role=role)
        db.session.add(membership)
        db.session.commit()
        return membership.id
