"""A person who logs time. The account data the auth services read and write."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from models.report import Report
    from models.time_entry import TimeEntry


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, TimestampMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    # What Flask-Login keeps in the session and the remember cookie. Replacing it (password change
    # or reset) ends every other session of this user at once.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # None until the owner of the address follows the confirmation link (or a reset link): an
    # unconfirmed account cannot log in, so nobody can use an address they do not own.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The team the pages show; services.access.current_membership checks it is still one of
    # the user's teams and falls back to another one.
    current_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))

    time_entries: WriteOnlyMapped[TimeEntry] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    reports: WriteOnlyMapped[Report] = relationship(
        back_populates="user",
        foreign_keys="Report.user_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def get_id(self) -> str:
        return self.session_token

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
