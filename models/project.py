"""A project owned by one user; its name is unique among that user's projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.columns import TimestampMixin

if TYPE_CHECKING:
    from models.task import Task
    from models.user import User


class Project(TimestampMixin, db.Model):
    __tablename__ = "projects"
    # Also the index for "a user's projects": owner_id leads.
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deleting a user deletes their projects (and, through tasks, their time).
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())

    owner: Mapped[User] = relationship(back_populates="projects")
    tasks: Mapped[list[Task]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Task.name",
    )

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.name!r}>"
