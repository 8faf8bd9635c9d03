"""Every write to what a user's week shows bumps that user's ``users.data_version``.

The week view caches its rendered body under the user's data version (see
``routes/dashboard/week_cache.py``), so the version must change with every write that could
change the page, whoever makes it (a web request, a task, a CLI command, an interface added
later): a session hook, not a call each service must remember. After each flush it looks at
what was written:

- a time entry (new, changed, deleted): its user;
- a task or a project (new, renamed, closed, moved, deleted): every user with an entry on it,
  whoever owns it, and every member of its team (the timer strip's cached task choices,
  ``routes/team_context.py:open_task_choices``, are keyed by the version too);
- a user row (their current team, display settings, name among them): that user; and when
  the name changed, every member whose week's approval history shows this user as the actor
  (the approver's name is in their cached body);
- a membership (joined, left, role changed): its member;
- a week's approval or one of its events (submitted, approved, sent back, reopened): the member
  whose week it is;
- a user row deleted: every other member whose week's approval history shows them as the actor.
  The database clears those events' link (``week_events.actor_id``, ON DELETE SET NULL: "a
  former account"), a write no flush lists and that leaves nothing to find afterwards, so this
  one is bumped *before* the flush (:func:`bump_before_user_deletes`). A Core ``delete()`` of
  users calls :func:`bump_members_shown_acting` itself (services/accounts/cleanup.py).

(A team's name and the week's lock are in the cache key itself: the page reads them anyway.)

and bumps those users' versions with one UPDATE in the same transaction, so the bump commits or
rolls back with the write itself. Writes that bypass the ORM's unit of work (a Core ``update()``
on these tables) would bypass this too: the services make none (``tests/test_week_cache.py``
checks each kind of write).
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import ColumnElement, Select, event, inspect, or_, select, update
from sqlalchemy.orm import Session, UOWTransaction

from models import Membership, Project, Task, TimeEntry, User, WeekApproval, WeekEvent

Touched = tuple[set[int], set[int], set[int], set[int], set[int], set[int], set[int]]


def touched(session: Session) -> Touched:
    """(user ids, task ids, project ids, approval ids, renamed actor ids, team ids of written
    projects, project ids of written tasks) whose rows this flush wrote."""
    users: set[int] = set()
    tasks: set[int] = set()
    projects: set[int] = set()
    approvals: set[int] = set()
    renamed: set[int] = set()
    teams: set[int] = set()
    projects_of_tasks: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, TimeEntry | Membership | WeekApproval):
            users.add(obj.user_id)
        elif isinstance(obj, WeekEvent):
            approvals.add(obj.approval_id)
        elif isinstance(obj, Task):
            tasks.add(obj.id)
            projects_of_tasks.add(obj.project_id)
        elif isinstance(obj, Project):
            projects.add(obj.id)
            teams.add(obj.team_id)
            teams.update(inspect(obj).attrs.team_id.history.deleted or ())  # moved from
        elif isinstance(obj, User) and obj.id is not None:
            users.add(obj.id)
            if inspect(obj).attrs.name.history.has_changes():
                renamed.add(obj.id)
    return users, tasks, projects, approvals, renamed, teams, projects_of_tasks


@event.listens_for(FlaskSession, "after_flush")
def bump_data_versions(session: Session, _flush_context: UOWTransaction) -> None:
    # In after_flush the rows are written and session.new/dirty/deleted still list what was.
    users, tasks, projects, approvals, renamed, teams, projects_of_tasks = touched(session)
    if not (users or tasks or projects or approvals or renamed or teams or projects_of_tasks):
        return
    conditions: list[Any] = []
    if users:
        conditions.append(User.id.in_(users))
    if tasks or projects:
        shown_on = (
            select(TimeEntry.user_id)
            .join(Task, TimeEntry.task_id == Task.id)
            .where(or_(Task.id.in_(tasks), Task.project_id.in_(projects)))
        )
        conditions.append(User.id.in_(shown_on))
    if teams or projects_of_tasks:
        of_tasks = select(Project.team_id).where(Project.id.in_(projects_of_tasks))
        conditions.append(
            User.id.in_(
                select(Membership.user_id).where(
                    or_(Membership.team_id.in_(teams), Membership.team_id.in_(of_tasks))
                )
            )
        )
    if approvals:
        conditions.append(
            User.id.in_(select(WeekApproval.user_id).where(WeekApproval.id.in_(approvals)))
        )
    if renamed:
        conditions.append(User.id.in_(members_shown_acting(renamed)))
    _bump(session, or_(*conditions))


def members_shown_acting(actor_ids: set[int]) -> Select[int]:
    """The members whose week's approval history names one of these users as the actor."""
    return (
        select(WeekApproval.user_id)
        .join(WeekEvent, WeekEvent.approval_id == WeekApproval.id)
        .where(WeekEvent.actor_id.in_(actor_ids))
    )


def bump_members_shown_acting(session: Session, actor_ids: set[int]) -> None:
    """Bump the members whose history names these users, before the users are deleted (their
    own rows are left alone: they are going)."""
    _bump(session, User.id.in_(members_shown_acting(actor_ids)) & User.id.not_in(actor_ids))


@event.listens_for(FlaskSession, "before_flush")
def bump_before_user_deletes(session: Session, _flush_context: UOWTransaction, _: Any) -> None:
    gone = {obj.id for obj in session.deleted if isinstance(obj, User) and obj.id is not None}
    if gone:
        bump_members_shown_acting(session, gone)


def _bump(session: Session, where: ColumnElement[bool]) -> None:
    table = User.metadata.tables["users"]
    session.connection().execute(
        update(table)
        .where(where)
        # updated_at is the account's, not its data's: kept as it is (no onupdate).
        .values(data_version=table.c.data_version + 1, updated_at=table.c.updated_at)
    )
