"""A CSV export of time entries, built by the background worker."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from models.user import User

REPORT_STATUSES = ("pending", "running", "done", "failed")
CLAIM_TOKEN_LENGTH = 100  # "<queue message id>:<random hex>"


class Report(TimestampMixin, Model):
    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("date_to >= date_from", name="range_in_order"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in REPORT_STATUSES) + ")", name="known_status"
        ),
        Index("ix_reports_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A team report (asked for by a manager): every member's time in the team, optionally one
    # person's or one project's. Without a team: the user's own time, as before.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    progress: Mapped[int] = mapped_column(default=0, server_default="0")
    rows_written: Mapped[int] = mapped_column(default=0, server_default="0")
    # Relative to the reports folder in the instance path; set once the file is complete.
    file_name: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The export run that may write this report's file and status (services/reports/exports.py):
    # taken with a conditional UPDATE, so two overlapping runs cannot both work on it.
    claim_token: Mapped[str | None] = mapped_column(String(CLAIM_TOKEN_LENGTH))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="reports", foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.status} {self.progress}%>"
