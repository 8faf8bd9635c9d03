"""A person who logs time. The account data the auth services read and write."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, false, true
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from models.api_token import ApiToken
    from models.membership import Membership
    from models.report import Report
    from models.time_entry import TimeEntry
    from models.timer import Timer
    from models.user_session import UserSession


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, TimestampMixin, Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("week_start BETWEEN 0 AND 6", name="week_start_is_a_weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Replaced by a password change or reset: password-reset links are bound to it (and so die
    # with it). Sign-ins are rows of user_sessions.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # None until the owner of the address follows the confirmation link (or a reset link): an
    # unconfirmed account cannot log in, so nobody can use an address they do not own.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The team the pages show; services.access.current_membership checks it is still one of
    # the user's teams and falls back to another one.
    current_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    # Bumped by every write to what this user's week shows (services/platform/data_version.py):
    # the key of the cached week body, so a cached page is never older than the data.
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # False until the user picks a zone (or declines the browser's): the pages offer theirs.
    timezone_chosen: Mapped[bool] = mapped_column(default=False, server_default=false())
    week_start: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")  # 0 = Mon
    clock_24h: Mapped[bool] = mapped_column(default=True, server_default=true())

    time_entries: WriteOnlyMapped[TimeEntry] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    reports: WriteOnlyMapped[Report] = relationship(
        back_populates="user",
        foreign_keys="Report.user_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    api_tokens: WriteOnlyMapped[ApiToken] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    sessions: WriteOnlyMapped[UserSession] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # The key of the sign-in this request runs in (not a column): services/accounts/sessions.py
    # sets it when it starts or loads a session, and Flask-Login stores it through get_id().
    # The loader also brings the current membership (its team loaded) in the same query, for
    # routes/team_context.py: every signed-in page shows the team (not a column either).
    if TYPE_CHECKING:
        session_key: str | None
        session_id: int | None
        loaded_membership: Membership | Literal[False] | None
        loaded_timer: Timer | Literal[False] | None
    else:
        session_key = None  # no annotation at run time: SQLAlchemy would map it as a column
        session_id = None
        loaded_membership = False  # False: not loaded with the user (None: in no team)
        loaded_timer = False  # False: not loaded with the user (None: no timer running)

    def get_id(self) -> str:
        """What Flask-Login puts in the session and the remember cookie: the key of a
        ``UserSession`` row, so that ending the row ends the cookie."""
        if self.session_key is None:
            raise RuntimeError("start a session (services.accounts.sessions) before login_user")
        return self.session_key

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
