"""Deleting one's own account, with the team rules: an active team always keeps an owner.

- The user is the last active owner of a team somebody else is (or was) a member of: refused,
  nothing deleted; they pass ownership first (or delete the team). Other people's time in that
  team is theirs, not the leaving user's to take along.
- A team nobody else ever joined (the personal team made at sign-up) goes with the account:
  its projects, tasks, invitations and week approvals.
- Everything of the user's own goes through the foreign keys: entries, timers, sessions, API
  tokens, reports (including team reports others asked about them), memberships.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from extensions import db
from models import Membership, Team, User
from services import access
from services.accounts.passwords import verify_password
from services.accounts.users import WrongPassword


class StillOwner(ValueError):
    """The user is the last owner of teams with other members; ``teams`` names them."""

    def __init__(self, teams: list[str]) -> None:
        names = ", ".join(teams)
        super().__init__(
            f"You are the only owner of {names}, where others have time too: pass ownership "
            "to another member first (Team page). Nothing was deleted."
        )
        self.teams = teams


def teams_blocking_deletion(user: User) -> list[Team]:
    """The teams the user is the last active owner of, that somebody else is or was in."""
    owners = (
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.team_id == Team.id,
            Membership.role == "owner",
            Membership.left_at.is_(None),
        )
        .scalar_subquery()
    )
    query = (
        select(Team)
        .where(
            Team.id.in_(access.owned_by(user.id)),
            Team.id.in_(access.shared_with_others(user.id)),
            owners <= 1,
        )
        .order_by(Team.name)
    )
    return list(db.session.scalars(query))


def delete_account(user: User, password: str) -> None:
    """Delete the user after the password confirms it is them (WrongPassword otherwise), and
    their solo teams; StillOwner while a shared team would lose its last owner. One commit."""
    if not verify_password(user.password_hash, password):
        raise WrongPassword
    blocking = teams_blocking_deletion(user)
    if blocking:
        raise StillOwner([team.name for team in blocking])
    solo = list(
        db.session.scalars(
            select(Team.id).where(
                Team.id.in_(access.team_ids_of(user.id)),
                Team.id.not_in(access.shared_with_others(user.id)),
            )
        )
    )
    # The user first: their entries and timers go with them (foreign keys), and only then can
    # the solo teams' tasks go (an entry's task is not deleted under it).
    db.session.delete(user)
    db.session.flush()
    if solo:
        db.session.execute(delete(Team).where(Team.id.in_(solo)))
    db.session.commit()
