"""Time one user spent on one task: a start and a duration in whole minutes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from models.task import Task
    from models.user import User

MINUTES_PER_DAY = 24 * 60


class TimeEntry(TimestampMixin, Model):
    __tablename__ = "time_entries"
    __table_args__ = (
        # Duration, not an end timestamp: SUM(minutes) is the same SQL on every backend, and a
        # positive duration is exactly "the end comes after the start".
        CheckConstraint("minutes > 0", name="positive_duration"),
        CheckConstraint(f"minutes <= {MINUTES_PER_DAY}", name="at_most_one_day"),
        # The week view and the reports: one user's entries over a range of days.
        Index("ix_time_entries_user_day", "user_id", "spent_on"),
        Index("ix_time_entries_task_id", "task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # NO ACTION (the default), on purpose: logged time is a record, so a task with time cannot be
    # deleted on its own (close it instead), while deleting the user still cascades through.
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    # The day as the user sees it (their time zone); started_at is the same moment in UTC.
    spent_on: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")

    user: Mapped[User] = relationship(back_populates="time_entries")
    task: Mapped[Task] = relationship(back_populates="time_entries")

    @property
    def ended_at(self) -> datetime:
        return self.started_at + timedelta(minutes=self.minutes)

    def __repr__(self) -> str:
        return f"<TimeEntry {self.id} {self.spent_on} {self.minutes}min>"
