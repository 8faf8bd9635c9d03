"""A project owned by one user; its name is unique among that user's projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from extensions import Model
from models.columns import NAME_KEY_LENGTH, TimestampMixin, name_key

if TYPE_CHECKING:
    from models.task import Task
    from models.user import User


class Project(TimestampMixin, Model):
    __tablename__ = "projects"
    # One owner, one project per name whatever its case; also the index for "a user's
    # projects" (owner_id leads).
    __table_args__ = (UniqueConstraint("owner_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deleting a user deletes their projects (and, through tasks, their time).
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))  # kept by _set_name_key
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())

    owner: Mapped[User] = relationship(back_populates="projects")
    tasks: Mapped[list[Task]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Task.name",
    )

    @validates("name")
    def _set_name_key(self, _attribute: str, name: str) -> str:
        self.name_key = name_key(name)
        return name

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.name!r}>"
