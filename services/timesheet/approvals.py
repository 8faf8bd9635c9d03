"""Weeks on their way to approval: a member submits their week in a team, a manager approves it
or sends it back with a comment, an admin reopens an approved (or grace-locked) week. Every step
is a WeekEvent row (who, when, comment), so the history stays when a week is reopened.

The transitions, and who may make them (access.ABILITIES):

    (none) | rejected | reopened --submit (the member)--> submitted
    submitted --approve (manager+)--> approved (locked: services/timesheet/locks.py)
    submitted --reject with a comment (manager+)--> rejected
    approved | grace-locked --reopen (admin+)--> reopened
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from models import Membership, Team, User, WeekApproval, WeekEvent
from services import access
from services.platform.transactions import DatabaseBusy, lock_writes_of
from services.timesheet.dates import monday_of
from services.timesheet.locks import lock_reason, utc_today

COMMENT_MAX_LENGTH = 1000


class ApprovalError(ValueError):
    """A transition that is not possible now; the message says why (shown as a flash)."""


class InvalidComment(ApprovalError):
    """The comment itself is refused (missing where needed, too long): bad input, not a state
    conflict (the API answers 422 for it, 409 for the other ApprovalErrors)."""


@dataclass(frozen=True)
class WeekState:
    approval: WeekApproval | None
    locked_because: str | None

    @property
    def status(self) -> str:
        return self.approval.status if self.approval is not None else "open"

    @property
    def events(self) -> list[WeekEvent]:
        return list(self.approval.events) if self.approval is not None else []


def _approval(team_id: int, user_id: int, monday: date) -> WeekApproval | None:
    return db.session.scalar(
        select(WeekApproval)
        .where(access.week_of_person(team_id, user_id, monday))
        .options(selectinload(WeekApproval.events).joinedload(WeekEvent.actor))
    )


def week_state(team: Team, user_id: int, day: date) -> WeekState:
    monday = monday_of(day)
    approval = _approval(team.id, user_id, monday)
    status = approval.status if approval is not None else None
    return WeekState(approval, lock_reason(status, team.lock_after_days, monday, utc_today()))


def person_week_state(manager: Membership, user_id: int, day: date) -> tuple[Membership, WeekState]:
    """A person (member or former member) of the manager's team, with their user, and their
    week's state with its history, in one query (the person's week page and its API); LookupError
    (404) for anyone else. ``see_team_time`` needed."""
    access.require(manager, "see_team_time")
    monday = monday_of(day)
    query = (
        access.person_in_team(manager.team_id, user_id)
        .outerjoin(
            WeekApproval, access.week_of_person(Membership.team_id, Membership.user_id, monday)
        )
        .add_columns(WeekApproval)
        .options(joinedload(WeekApproval.events).joinedload(WeekEvent.actor))
        .order_by(Membership.left_at.is_not(None), Membership.id)
    )
    # Every row, not first(): the history comes as one row per event (a joined collection).
    rows = db.session.execute(query).unique().all()
    if not rows:
        raise LookupError("not a person of this team")
    person, approval = rows[0]
    status = approval.status if approval is not None else None
    reason = lock_reason(status, manager.team.lock_after_days, monday, utc_today())
    return person, WeekState(approval, reason)


def current_week_state(user: User, day: date) -> tuple[Membership | None, WeekState | None]:
    """The user's current membership and their week's state in that team, in one query (the
    week page: its query count stays flat)."""
    monday = monday_of(day)
    query = (
        access.current_membership_select(user)
        .outerjoin(
            WeekApproval, access.week_of_person(Membership.team_id, Membership.user_id, monday)
        )
        .add_columns(WeekApproval)
    )
    row = db.session.execute(query).first()
    if row is None:
        return None, None
    membership, approval = row
    status = approval.status if approval is not None else None
    reason = lock_reason(status, membership.team.lock_after_days, monday, utc_today())
    return membership, WeekState(approval, reason)


def _serialize_writes_of(user_id: int) -> None:
    """Take the lock every entry write takes (services/timesheet/entries.py:_lock_user): an
    entry write and the approval of its week cannot overlap."""
    try:
        lock_writes_of(user_id)
    except DatabaseBusy:
        raise ApprovalError("This week is being changed right now. Please try again.") from None


def _move(
    team_id: int, user_id: int, monday: date, action: str, actor: User, comment: str = ""
) -> WeekApproval:
    approval = _approval(team_id, user_id, monday)
    if approval is None:
        approval = WeekApproval(team_id=team_id, user_id=user_id, week_start=monday, status=action)
        db.session.add(approval)
    approval.status = action
    approval.events.append(WeekEvent(action=action, actor_id=actor.id, comment=comment))
    db.session.commit()
    return approval


def _clean_comment(comment: str, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise InvalidComment("Say what needs to change, so the week can be fixed.")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise InvalidComment(f"Keep the comment to {COMMENT_MAX_LENGTH} characters or fewer.")
    return comment


def _member_of(team_id: int, user_id: int) -> Membership:
    """A person whose week a manager acts on: a member of the team, or a former one (their
    weeks stay in the team). Anyone else is not found."""
    membership: Membership | None = db.session.scalar(access.person_in_team(team_id, user_id))
    if membership is None:
        raise LookupError("not a member of this team")
    return membership


def submit_week(user: User, team_id: int, day: date) -> WeekApproval:
    access.require_in_team(user.id, team_id, "log_time")
    monday = monday_of(day)
    _serialize_writes_of(user.id)
    current = _approval(team_id, user.id, monday)
    if current is not None and current.status in ("submitted", "approved"):
        raise ApprovalError(f"This week is {current.status} already.")
    return _move(team_id, user.id, monday, "submitted", user)


def approve_week(actor: User, team_id: int, user_id: int, day: date) -> WeekApproval:
    access.require_in_team(actor.id, team_id, "approve_weeks")
    _member_of(team_id, user_id)
    monday = monday_of(day)
    _serialize_writes_of(user_id)
    current = _approval(team_id, user_id, monday)
    if current is None or current.status != "submitted":
        raise ApprovalError("Only a submitted week can be approved.")
    return _move(team_id, user_id, monday, "approved", actor)


def reject_week(actor: User, team_id: int, user_id: int, day: date, comment: str) -> WeekApproval:
    access.require_in_team(actor.id, team_id, "approve_weeks")
    _member_of(team_id, user_id)
    comment = _clean_comment(comment, required=True)
    monday = monday_of(day)
    current = _approval(team_id, user_id, monday)
    if current is None or current.status != "submitted":
        raise ApprovalError("Only a submitted week can be sent back.")
    return _move(team_id, user_id, monday, "rejected", actor, comment)


def reopen_week(
    actor: User, team_id: int, user_id: int, day: date, comment: str = ""
) -> WeekApproval:
    membership = access.require_in_team(actor.id, team_id, "reopen_weeks")
    _member_of(team_id, user_id)
    comment = _clean_comment(comment, required=False)
    monday = monday_of(day)
    current = _approval(team_id, user_id, monday)
    status = current.status if current is not None else None
    if lock_reason(status, membership.team.lock_after_days, monday, utc_today()) is None:
        raise ApprovalError("This week is not locked.")
    return _move(team_id, user_id, monday, "reopened", actor, comment)
