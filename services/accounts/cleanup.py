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

from flask import current_app
from sqlalchemy import ColumnElement, delete, exists, or_, select
from sqlalchemy.orm import aliased

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
from services.platform.transactions import begin_write

CLEANUP_UNCONFIRMED_TASK = "accounts.delete_unconfirmed"

log = logging.getLogger(__name__)


def _team_in_use() -> ColumnElement[bool]:
    """For a Membership row: its team has another member, a project or an invitation."""
    other = aliased(Membership)
    return or_(
        exists().where(other.team_id == Membership.team_id, other.user_id != Membership.user_id),
        exists().where(Project.team_id == Membership.team_id),
        exists().where(Invitation.team_id == Membership.team_id),
        exists().where(WeekApproval.team_id == Membership.team_id),
    )


def _has_no_data() -> list[ColumnElement[bool]]:
    return [
        ~exists().where(TimeEntry.user_id == User.id),
        ~exists().where(Report.user_id == User.id),
        ~exists().where(Report.person_id == User.id),
        ~exists().where(ApiToken.user_id == User.id),
        ~exists().where(WeekApproval.user_id == User.id),
        ~exists().where(Membership.user_id == User.id, _team_in_use()),
    ]


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
        db.session.execute(delete(User).where(User.id.in_(user_ids)))
    db.session.commit()
    if user_ids:
        log.info("clean-up: %d unconfirmed accounts deleted", len(user_ids))
    return len(user_ids)
