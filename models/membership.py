"""A person's place in a team, with a role. Removing a member keeps the row (``left_at`` set):
their past time stays in the team's weeks and reports, shown as a former member's."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from models.team import Team
    from models.user import User

# Lowest to highest: each role may do everything the ones before it may.
ROLES = ("member", "manager", "admin", "owner")


class Membership(TimestampMixin, Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="known_role"),
        Index("ix_memberships_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.left_at is None

    def __repr__(self) -> str:
        return f"<Membership team={self.team_id} user={self.user_id} {self.role}>"
