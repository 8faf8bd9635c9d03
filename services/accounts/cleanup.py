"""Deleting sign-ups that were never confirmed: without this they would stay for ever, and their
address could never sign up again (the sign-up of a known address only mails its owner).

An account goes when its address was never confirmed, it is older than
``UNCONFIRMED_ACCOUNT_MAX_AGE_DAYS``, and it holds no data: no time entries, reports, API tokens
or week approvals, and no team but teams of its own that nobody else is in and that have no
projects or invitations (the personal team every sign-up gets). Those teams go with it.
An unconfirmed account cannot log in, so it cannot have made any of that; the conditions are
there for accounts made some other way (an import, a future admin page).

Run hourly by celery beat (``tasks/accounts.py``, schedule in config.py's ``beat_schedule``) and
by ``flask timesheet delete-unconfirmed``. Safe to run twice, or at the same time as a
confirmation: the rows are locked (SQLite: the write lock) before anything is deleted, and a
confirmed account no longer matches.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, delete, func, select, union

from extensions import db
from models import (
    ApiToken,
    Invitation,
    Membership,
    Project,
    Report,
    Team,
    TimeEntry,
    User,
    WeekApproval,
)
from models.columns import utcnow
from services.platform import data_version
from services.platform.transactions import begin_write

CLEANUP_UNCONFIRMED_TASK = "accounts.delete_unconfirmed"

log = logging.getLogger(__name__)


def _users_holding_data() -> list[Select[Any]]:
    """Sets of user ids, each a reason to keep an account: rows of its own, or a team that is
    more than its personal one (another member, a project, an invitation, an approval).
    Set differences, not per-user filters: who may see what is services/access.py's business."""
    used_teams = union(
        select(Membership.team_id).group_by(Membership.team_id).having(func.count() > 1),
        select(Project.team_id),
        select(Invitation.team_id),
        select(WeekApproval.team_id),
    )
    return [
        select(TimeEntry.user_id),
        select(Report.user_id),
        select(Report.person_id).where(Report.person_id.is_not(None)),  # NOT IN meets no NULL
        select(ApiToken.user_id),
        select(WeekApproval.user_id),
        select(Membership.user_id).where(Membership.team_id.in_(used_teams)),
    ]


def _has_no_data() -> list[ColumnElement[bool]]:
    return [User.id.not_in(ids) for ids in _users_holding_data()]


def delete_unconfirmed_accounts(now: datetime | None = None) -> int:
    """Delete the stale unconfirmed accounts (and their empty personal teams); commits.
    Returns how many accounts went."""
    now = now or utcnow()
    cutoff = now - timedelta(days=float(current_app.config["UNCONFIRMED_ACCOUNT_MAX_AGE_DAYS"]))
    begin_write()  # SQLite: choose and delete under one lock
    user_ids = list(
        db.session.scalars(
            select(User.id)
            .where(User.email_confirmed_at.is_(None), User.created_at < cutoff, *_has_no_data())
            .with_for_update(of=User)  # PostgreSQL: a confirmation now waits for us, or we for it
        )
    )
    if user_ids:
        team_ids = list(
            db.session.scalars(select(Membership.team_id).where(Membership.user_id.in_(user_ids)))
        )
        if team_ids:
            db.session.execute(delete(Team).where(Team.id.in_(team_ids)))
        # A Core delete: the session hooks do not see it (services/platform/data_version.py).
        data_version.bump_members_shown_acting(db.session(), set(user_ids))
        db.session.execute(delete(User).where(User.id.in_(user_ids)))
    db.session.commit()
    if user_ids:
        log.info("clean-up: %d unconfirmed accounts deleted", len(user_ids))
    return len(user_ids)
