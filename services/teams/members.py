"""A team's people: who is in it, their roles, leaving and removal, passing ownership, the grace
rule, deleting the team. Every function checks the actor's role through the access policy.

Invariant: an active team always has an owner. The last owner cannot leave, be removed or be
demoted; ownership is passed instead (the old owner becomes an admin).
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import contains_eager

from extensions import db
from models import Membership, Project, Task, Team, TimeEntry, Timer, User
from models.columns import utcnow
from models.membership import ROLES
from services import access
from services.accounts.teams import TEAM_NAME_MAX_LENGTH, found_team
from services.platform.text import UNPRINTABLE_MESSAGE, is_printable
from services.platform.transactions import locked

MAX_GRACE_DAYS = 3660


class TeamError(ValueError):
    """An action the rules refuse; the message says why (a flash or a form error). The kinds
    below tell an interface which answer fits (the web pages flash them all alike)."""


class InvalidTeamField(TeamError):
    """A value that is not acceptable (API: 422 on ``field``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TeamConflict(TeamError):
    """The team's state refuses it now: the last owner, a member already, an invitation used
    already, logged time (API: 409)."""


class AboveOwnRole(TeamError):
    """Granting a role higher than the actor's own (API: 403)."""


def clean_team_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidTeamField("name", "Enter a name for the team.")
    if len(cleaned) > TEAM_NAME_MAX_LENGTH:
        raise InvalidTeamField(
            "name", f"Keep the name to {TEAM_NAME_MAX_LENGTH} characters or fewer."
        )
    if not is_printable(cleaned):  # a NUL cannot even be stored on PostgreSQL
        raise InvalidTeamField("name", UNPRINTABLE_MESSAGE)
    return cleaned


def my_teams(user: User) -> list[Membership]:
    return list(db.session.scalars(access.memberships_of(user.id).order_by(Membership.id)))


def create_team(user: User, name: str) -> Team:
    team = found_team(user, clean_team_name(name))
    db.session.commit()
    return team


def switch_team(user: User, team_id: int) -> Team:
    membership = access.membership_in(user.id, team_id)
    if membership is None:
        raise LookupError("not one of the user's teams")
    user.current_team_id = team_id
    db.session.commit()
    return membership.team


def team_for(user: User, team_id: int) -> Membership:
    """The user's membership in a team they belong to (LookupError: 404 otherwise)."""
    membership = access.membership_in(user.id, team_id)
    if membership is None:
        raise LookupError("not one of the user's teams")
    return membership


PEOPLE_ORDER = (Membership.left_at.is_not(None), func.lower(User.name), User.id)


def people(team_id: int) -> list[Membership]:
    """Members first, then former members, each with the user loaded."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .where(Membership.team_id == team_id)
            .options(contains_eager(Membership.user))
            .order_by(*PEOPLE_ORDER)
        )
    )


def team_with_people(user: User, team_id: int) -> tuple[Membership, list[Membership]]:
    """The user's membership in a team they belong to, and the team's people (as
    :func:`people`), in one query (the team page's); LookupError (404) for a team not theirs."""
    found = list(
        db.session.scalars(access.people_seen_by(user.id, team_id).order_by(*PEOPLE_ORDER))
    )
    mine = next((p for p in found if p.user_id == user.id and p.left_at is None), None)
    if mine is None:
        raise LookupError("not one of the user's teams")
    return access.require(mine, "see_team"), found


def member(team_id: int, membership_id: int, *, lock: bool = False) -> Membership:
    """An active member of the team (LookupError: 404). The caller has checked that the actor
    sees the team. ``lock``: for a change checked against what is read here (If-Match)."""
    if not access.is_possible_id(membership_id):
        raise LookupError("no such member")
    query = select(Membership).where(
        Membership.id == membership_id,
        Membership.team_id == team_id,
        Membership.left_at.is_(None),
    )
    target = db.session.scalar(locked(query, Membership) if lock else query)
    if target is None:
        raise LookupError("no such member")
    return target


def _target(team_id: int, membership_id: int) -> Membership:
    return member(team_id, membership_id)


def _owners(team_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.team_id == team_id,
                Membership.role == "owner",
                Membership.left_at.is_(None),
            )
        )
        or 0
    )


def _keep_an_owner(target: Membership) -> None:
    if target.role == "owner" and _owners(target.team_id) <= 1:
        raise TeamConflict(
            "A team needs an owner: pass ownership to another member first (or delete the team)."
        )


def _may_touch(actor: Membership, target: Membership) -> None:
    """Admins manage members, but only the owner acts on an owner."""
    if target.role == "owner" and actor.role != "owner":
        raise access.NotAllowed("pass_ownership", actor.role)


def change_role(actor_user: User, team_id: int, membership_id: int, role: str) -> Membership:
    actor = access.require_in_team(actor_user.id, team_id, "manage_members")
    target = _target(team_id, membership_id)
    if role not in ROLES:
        raise InvalidTeamField("role", "Choose one of the roles.")
    _may_touch(actor, target)
    if role == "owner" and actor.role != "owner":
        raise access.NotAllowed("pass_ownership", actor.role)
    if target.role == "owner" and role != "owner":
        _keep_an_owner(target)
    target.role = role
    db.session.commit()
    return target


def remove_member(actor_user: User, team_id: int, membership_id: int) -> Membership:
    """The member leaves the team; their past time stays, shown as a former member's."""
    actor = access.require_in_team(actor_user.id, team_id, "manage_members")
    target = _target(team_id, membership_id)
    _may_touch(actor, target)
    _keep_an_owner(target)
    target.left_at = utcnow()
    db.session.commit()
    return target


def leave_team(user: User, team_id: int) -> Team:
    membership = team_for(user, team_id)
    _keep_an_owner(membership)
    membership.left_at = utcnow()
    db.session.commit()
    return membership.team


def pass_ownership(actor_user: User, team_id: int, membership_id: int) -> Membership:
    """The owner makes another member the owner and becomes an admin."""
    actor = access.require_in_team(actor_user.id, team_id, "pass_ownership")
    target = _target(team_id, membership_id)
    if target.id == actor.id:
        raise TeamConflict("You own this team already.")
    target.role = "owner"
    actor.role = "admin"
    db.session.commit()
    return target


def set_grace(actor_user: User, team_id: int, days: int | None) -> Team:
    actor = access.require_in_team(actor_user.id, team_id, "team_settings")
    if days is not None and not 0 <= days <= MAX_GRACE_DAYS:
        raise InvalidTeamField(
            "lock_after_days", f"Choose between 0 and {MAX_GRACE_DAYS} days, or leave it empty."
        )
    actor.team.lock_after_days = days
    db.session.commit()
    return actor.team


def delete_team(actor_user: User, team_id: int) -> str:
    """Delete a team with its projects, tasks and invitations. Refused while time is logged on
    its tasks: logged time is a record (and may sit in approved weeks); archive instead."""
    actor = access.require_in_team(actor_user.id, team_id, "delete_team")
    has_time = db.session.scalar(
        select(TimeEntry.id)
        .join(Task, TimeEntry.task_id == Task.id)
        .join(Project, Task.project_id == Project.id)
        .where(Project.team_id == team_id)
        .limit(1)
    )
    if has_time is not None:
        raise TeamConflict(
            "This team has logged time, which is kept as a record: archive its projects instead."
        )
    team_tasks = select(Task.id).join(Task.project).where(Project.team_id == team_id)
    if db.session.scalar(
        select(Timer.id).where(Timer.task_id.in_(team_tasks), Timer.stopped_at.is_(None)).limit(1)
    ):
        raise TeamError(
            "A timer is running on one of its tasks: stop it first (time not logged yet)."
        )
    # Stopped timers are only a trace of time that is logged elsewhere or was discarded.
    db.session.execute(delete(Timer).where(Timer.task_id.in_(team_tasks)))
    name = actor.team.name
    db.session.delete(actor.team)
    db.session.commit()
    return name
