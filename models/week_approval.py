"""One person's week in one team, on its way to approval, and every step it took.

``WeekApproval`` holds the current state (one row per person, team and week); ``WeekEvent``
keeps each transition (who, when, comment), so a reopened week keeps its history.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin

if TYPE_CHECKING:
    from models.user import User
    from models.week_event import WeekEvent

# reopened: an admin opened an approved (or grace-locked) week again.
WEEK_STATUSES = ("submitted", "approved", "rejected", "reopened")


def sql_in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class WeekApproval(TimestampMixin, Model):
    __tablename__ = "week_approvals"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "week_start"),
        CheckConstraint(f"status IN {sql_in(WEEK_STATUSES)}", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date] = mapped_column(Date)  # the Monday
    status: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship()
    events: Mapped[list[WeekEvent]] = relationship(
        back_populates="approval",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="WeekEvent.id",
    )

    def __repr__(self) -> str:
        return f"<WeekApproval {self.user_id} {self.week_start} {self.status}>"
