"""One signed-in browser or device: what makes logging out final.

Flask-Login keeps an id in the session cookie (and the remember cookie); a cookie alone used to
be enough to come back after logout. Now the id names a row here, and only the row makes it
valid: logout deletes the row, so a copied cookie opens nothing afterwards. Only a SHA-256 of the
random key is stored: a leaked table gives no usable cookie.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.user import User

USER_AGENT_MAX_LENGTH = 255


class UserSession(Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(USER_AGENT_MAX_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="sessions")

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id}>"
