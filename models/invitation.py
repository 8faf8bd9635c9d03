"""An invitation to join a team, sent by email. Only a hash of the link's token is stored: a
leaked database does not hold working links. Single use (``accepted_at``), revocable, expiring."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin, UTCDateTime
from models.membership import ROLES

if TYPE_CHECKING:
    from models.team import Team
    from models.user import User


class Invitation(TimestampMixin, Model):
    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team] = relationship(back_populates="invitations")
    invited_by: Mapped[User | None] = relationship()

    @property
    def open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def __repr__(self) -> str:
        return f"<Invitation {self.id} team={self.team_id} {self.email}>"
