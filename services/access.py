"""The access policy: the one place that says who may see or change what.

Every service builds its queries on the scoped selects and filters below, looks single objects
up through them, and asks ``require`` before it changes anything, so "may this user see or do
this?" is answered here and nowhere else.

- Seeing: a user sees the projects and tasks of every team they are an active member of, their
  own time entries and their own reports. Anything else is not found: the interfaces answer 404,
  never 403, so another team's objects do not even tell that they exist.
- Doing: inside a team the user does see, the role decides. A role may do everything the roles
  below it may (``ROLES``, lowest first); ``ABILITIES`` says which role each action needs. A role
  too low is ``NotAllowed`` (403: the user sees the object, so hiding it would tell nothing).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from extensions import db
from models import (
    ApiToken,
    IdempotencyKey,
    Membership,
    Project,
    Report,
    Task,
    TimeEntry,
    Timer,
    User,
    WeekApproval,
)
from models.columns import ID_MAX
from models.membership import ROLES

# What each action needs, at least. The permission matrix test (tests/test_permission_matrix.py)
# walks every route against every role, so a change here shows up there.
ABILITIES = {
    "see_team": "member",  # the members page, the team's projects and tasks
    "log_time": "member",  # own time on the team's tasks, submitting own weeks
    "manage_projects": "manager",  # create, rename, archive projects; tasks
    "see_team_time": "manager",  # the team week, anyone's week, team reports
    "approve_weeks": "manager",  # approve, send back
    "reopen_weeks": "admin",  # open an approved or grace-locked week again
    "manage_members": "admin",  # invite, revoke, change roles, remove members
    "team_settings": "admin",  # the grace rule
    "delete_team": "owner",
    "pass_ownership": "owner",
}


class NotAllowed(Exception):
    """The user sees this team but their role does not allow the action (403)."""

    def __init__(self, ability: str, role: str | None) -> None:
        needed = ABILITIES[ability]
        super().__init__(f"This needs the {needed} role or higher (you are {role or 'no member'}).")
        self.ability = ability


def rank(role: str) -> int:
    return ROLES.index(role)


def can(membership: Membership | None, ability: str) -> bool:
    if membership is None or membership.left_at is not None:
        return False
    return rank(membership.role) >= rank(ABILITIES[ability])


def require(membership: Membership | None, ability: str) -> Membership:
    if not can(membership, ability):
        raise NotAllowed(ability, membership.role if membership is not None else None)
    assert membership is not None
    return membership


# --- Memberships and the current team ---------------------------------------------------------


def team_ids_of(user_id: int) -> Select[int]:
    """The teams the user is an active member of, as a subquery."""
    return select(Membership.team_id).where(
        Membership.user_id == user_id, Membership.left_at.is_(None)
    )


def memberships_of(user_id: int) -> Select[Membership]:
    """The user's active memberships, each with its team loaded."""
    return (
        select(Membership)
        .where(Membership.user_id == user_id, Membership.left_at.is_(None))
        .options(joinedload(Membership.team))
    )


def membership_in(user_id: int, team_id: int) -> Membership | None:
    """The user's active membership in this team; None means the team is not theirs (404)."""
    return db.session.scalar(memberships_of(user_id).where(Membership.team_id == team_id))


def current_membership_select(user: User) -> Select[Membership]:
    """The query behind ``current_membership``, for callers that join more to it."""
    chosen = case((Membership.team_id == user.current_team_id, 0), else_=1)
    return memberships_of(user.id).order_by(chosen, Membership.id).limit(1)


def current_membership_id() -> ColumnElement[int]:
    """The id of the current membership (the one ``current_membership_select`` chooses: the
    chosen team's, else the oldest), correlated to ``users``: the session loader joins it to
    the user's row. Two MIN subqueries rather than an ORDER BY on the outer row, which SQLite
    cannot resolve inside a join condition."""
    active = (Membership.user_id == User.id, Membership.left_at.is_(None))

    def first(*where: ColumnElement[bool]) -> ScalarSelect[int]:
        query = select(func.min(Membership.id)).where(*active, *where)
        return query.correlate(User).scalar_subquery()

    return func.coalesce(first(Membership.team_id == User.current_team_id), first())


def with_current_membership(query: Select[Any]) -> Select[Any]:
    """A query of users with their current membership (team loaded) joined: the session loader's
    (services/accounts/sessions.py:load_user)."""
    return (
        query.add_columns(Membership)
        .outerjoin(Membership, Membership.id == current_membership_id())
        .outerjoin(Membership.team)
        .options(contains_eager(Membership.team))
    )


def with_membership_and_timer(query: Select[Any]) -> Select[Any]:
    """The session loader's query with the current membership (:func:`with_current_membership`)
    and the user's running timer, its task and project loaded (None when no timer runs): every
    signed-in page shows the timer strip, and this way it costs no query of its own."""
    return (
        with_current_membership(query)
        .add_columns(Timer)
        .outerjoin(Timer, and_(Timer.user_id == User.id, Timer.stopped_at.is_(None)))
        .outerjoin(Timer.task)
        .outerjoin(Task.project)
        .options(contains_eager(Timer.task).contains_eager(Task.project))
    )


def current_membership(user: User) -> Membership | None:
    """The membership of the team the pages show: the user's chosen team while they still
    belong to it, else their oldest membership. One query, or none when the session loader
    brought it with the user's row (``user.loaded_membership``, set by
    services/accounts/sessions.py:load_user at the start of this request)."""
    if user.loaded_membership is not False:
        return user.loaded_membership
    return db.session.scalar(current_membership_select(user))


# --- Scopes: what a user sees ---------------------------------------------------------------


def project_scope(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the projects of the user's teams."""
    return Project.team_id.in_(team_ids_of(user_id))


def entry_scope(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the time entries the user sees as theirs (their own)."""
    return TimeEntry.user_id == user_id


def team_entry_scope(team_id: int) -> ColumnElement[bool]:
    """A WHERE clause: every entry logged on the team's tasks, whoever logged it. Only for
    callers that have checked ``see_team_time`` (or the lock rule, which protects everyone)."""
    team_tasks = select(Task.id).join(Task.project).where(Project.team_id == team_id)
    return TimeEntry.task_id.in_(team_tasks)


def person_entry_scope(team_id: int, person_id: int | None) -> ColumnElement[bool]:
    """A WHERE clause: the team's entries (``team_entry_scope``), or one person's of them."""
    scope = team_entry_scope(team_id)
    return scope if person_id is None else scope & (TimeEntry.user_id == person_id)


def person_in_team(team_id: int, user_id: int) -> Select[Membership]:
    """A person's membership in a team, active or former (their past weeks stay in the team),
    with the user loaded: the people a manager may look at."""
    return (
        select(Membership)
        .join(Membership.user)
        .where(Membership.team_id == team_id, Membership.user_id == user_id)
        .options(contains_eager(Membership.user))
    )


def people_seen_by(user_id: int, team_id: int) -> Select[Membership]:
    """The people of a team (members and former members, each with the user and the team
    loaded), only if the user is an active member of it: no rows otherwise. The user's own
    membership is among them, so the team page needs no query of its own for it."""
    return (
        select(Membership)
        .join(Membership.user)
        .join(Membership.team)
        .where(Membership.team_id == team_id, Membership.team_id.in_(team_ids_of(user_id)))
        .options(contains_eager(Membership.user), contains_eager(Membership.team))
    )


def is_member(person_column: Any) -> ColumnElement[bool]:
    """An ON clause: rows of a subquery (``person_column``: its user id) that belong to the
    membership they are joined to."""
    clause: ColumnElement[bool] = Membership.user_id == person_column
    return clause


def owned_by(user_id: int) -> Select[int]:
    """The teams this user owns (active membership with the owner role)."""
    return team_ids_of(user_id).where(Membership.role == "owner")


def shared_with_others(user_id: int) -> Select[int]:
    """The teams where someone else than this user has (or had) a membership."""
    return select(Membership.team_id).where(Membership.user_id != user_id)


def week_of_person(team_id: Any, user_id: Any, monday: Any) -> ColumnElement[bool]:
    """A WHERE (or ON) clause: the approval row of one person's week in one team. Arguments may
    be values or columns (joined from memberships)."""
    clause: ColumnElement[bool] = (
        (WeekApproval.team_id == team_id)
        & (WeekApproval.user_id == user_id)
        & (WeekApproval.week_start == monday)
    )
    return clause


def weeks_of_person(user_id: int, monday: date) -> ColumnElement[bool]:
    """A WHERE clause: one person's approvals of a week, in every team."""
    return (WeekApproval.user_id == user_id) & (WeekApproval.week_start == monday)


def timer_scope(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the timers this user may see, start and stop (their own)."""
    return Timer.user_id == user_id


def report_scope(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the reports this user may see and download (the ones they asked for)."""
    return Report.user_id == user_id


def projects_of(user_id: int) -> Select[Project]:
    return select(Project).where(project_scope(user_id))


def projects_of_team(team_id: int) -> Select[Project]:
    """One team's projects (the caller holds a membership of it)."""
    return select(Project).where(Project.team_id == team_id)


def tasks_of(user_id: int) -> Select[Task]:
    """The tasks of the projects in the user's scope, each with its project loaded."""
    return (
        select(Task)
        .join(Task.project)
        .where(project_scope(user_id))
        .options(contains_eager(Task.project))
    )


def entries_of(user_id: int) -> Select[TimeEntry]:
    return select(TimeEntry).where(entry_scope(user_id))


def timers_of(user_id: int) -> Select[Timer]:
    return select(Timer).where(timer_scope(user_id))


def reports_of(user_id: int) -> Select[Report]:
    return select(Report).where(report_scope(user_id))


def tokens_of(user_id: int) -> Select[ApiToken]:
    """The personal access tokens this user may see and revoke (their own)."""
    return select(ApiToken).where(ApiToken.user_id == user_id)


def idempotency_key_of(user_id: int, key: str) -> ColumnElement[bool]:
    """A WHERE clause: this user's idempotency key (keys are per user: another user's same key is
    another key)."""
    return (IdempotencyKey.user_id == user_id) & (IdempotencyKey.key == key)


def is_possible_id(value: object) -> bool:
    """Could ``value`` be the id of a row? A number beyond the integer column (say from a forged
    form) matches nothing, and on PostgreSQL even comparing with it fails: lookups check first."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


# --- Acting inside a team -----------------------------------------------------------------------


def require_in_team(user_id: int, team_id: int, ability: str) -> Membership:
    """The user's membership in a team they see, if their role allows ``ability``: raises
    LookupError for a team they are not in (404) and NotAllowed for a role too low (403)."""
    membership = membership_in(user_id, team_id)
    if membership is None:
        raise LookupError("not one of the user's teams")
    return require(membership, ability)


def require_current(user: User, ability: str) -> Membership:
    """The current team's membership, if the role allows ``ability``; NoTeam when the user is
    in no team at all."""
    membership = current_membership(user)
    if membership is None:
        raise NoTeam
    return require(membership, ability)


class NoTeam(LookupError):
    """The user belongs to no team yet: the pages send them to create or join one."""
