"""Founding a team: every new account starts with a personal team of its own (the migration
that introduced teams gave one to every existing user, named the same way), and anyone can
found more. The founder is the team's owner, and the new team becomes their current one."""

from __future__ import annotations

from extensions import db
from models import Membership, Team, User

TEAM_NAME_MAX_LENGTH = 100  # teams.name


def personal_team_name(user_name: str) -> str:
    return f"{user_name}’s team"[:TEAM_NAME_MAX_LENGTH]  # noqa: RUF001 (typographic apostrophe)


def found_team(user: User, name: str) -> Team:
    """Add a team owned by ``user`` and make it current; the caller commits."""
    team = Team(name=name)
    db.session.add(team)
    db.session.add(Membership(team=team, user=user, role="owner"))
    db.session.flush()
    user.current_team_id = team.id
    return team
