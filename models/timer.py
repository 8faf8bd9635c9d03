"""A running (or stopped) timer: a task, a note and the moment it was started.

At most one running timer per user, held by the database itself: a partial unique index on
``user_id`` over the rows whose ``stopped_at`` is NULL (SQLite and PostgreSQL both have partial
indexes). Two tabs or two devices starting a timer at once cannot both succeed; the loser hits
the index and gets a message (services/timesheet/timer.py). Stopped rows stay as a record.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from models.task import Task

NOTE_LENGTH = 500  # the same as a time entry's note, which the timer's note becomes
RUNNING = text("stopped_at IS NULL")


class Timer(TimestampMixin, Model):
    __tablename__ = "timers"
    __table_args__ = (
        Index(
            "ix_timers_one_running_per_user",
            "user_id",
            unique=True,
            sqlite_where=RUNNING,
            postgresql_where=RUNNING,
        ),
        Index("ix_timers_task_id", "task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Like a time entry: a task with a timer on it is not deleted on its own.
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    note: Mapped[str] = mapped_column(String(NOTE_LENGTH), default="", server_default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    task: Mapped[Task] = relationship()

    def __repr__(self) -> str:
        state = "running" if self.stopped_at is None else "stopped"
        return f"<Timer {self.id} user={self.user_id} {state}>"
