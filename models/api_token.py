"""A personal access token: how a script or an integration signs in to the JSON API.

Only a hash of the secret is stored (the secret is shown once, when the token is created); a
stolen database copy gives no working token. ``prefix`` (the first characters of the secret) lets
the owner tell their tokens apart on the tokens page.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import Model
from models.columns import TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from models.user import User

TOKEN_SCOPES = ("read", "write")  # "write" includes read
TOKEN_NAME_MAX_LENGTH = 100


class ApiToken(TimestampMixin, Model):
    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(
            "scope IN (" + ", ".join(f"'{s}'" for s in TOKEN_SCOPES) + ")", name="known_scope"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX_LENGTH))
    # SHA-256 of the secret, hex: the secret has 256 random bits, so a fast hash is enough.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="api_tokens")

    @property
    def can_write(self) -> bool:
        return self.scope == "write"

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… {self.scope}>"
