"""One step in a week's approval: submitted, approved, rejected (with a comment) or reopened,
by whom and when. Never updated or deleted while the week exists: the history shown."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import UTCDateTime, utcnow
from models.week_approval import WEEK_STATUSES, sql_in

if TYPE_CHECKING:
    from models.user import User
    from models.week_approval import WeekApproval

WEEK_ACTIONS = WEEK_STATUSES


class WeekEvent(Model):
    __tablename__ = "week_events"
    __table_args__ = (CheckConstraint(f"action IN {sql_in(WEEK_ACTIONS)}", name="known_action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(
        ForeignKey("week_approvals.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    approval: Mapped[WeekApproval] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
