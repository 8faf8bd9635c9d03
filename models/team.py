"""A team: the shared workspace. Projects belong to a team; people belong to it through
memberships, each with a role; weeks of time are approved inside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin

if TYPE_CHECKING:
    from models.invitation import Invitation
    from models.membership import Membership
    from models.project import Project


class Team(TimestampMixin, Model):
    __tablename__ = "teams"
    __table_args__ = (
        CheckConstraint(
            "lock_after_days IS NULL OR lock_after_days >= 0", name="grace_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The grace rule: a week whose Sunday is more than this many days ago locks by itself (as if
    # approved) until an admin reopens it. None: only approval locks a week.
    lock_after_days: Mapped[int | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="team", cascade="all, delete-orphan", passive_deletes=True
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="team", cascade="all, delete-orphan", passive_deletes=True
    )
    projects: Mapped[list[Project]] = relationship(
        back_populates="team", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Team {self.id} {self.name!r}>"
