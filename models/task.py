"""A task inside a project; time is logged against tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship, validates

from extensions import Model
from models.columns import NAME_KEY_LENGTH, TimestampMixin, name_key

if TYPE_CHECKING:
    from models.project import Project
    from models.time_entry import TimeEntry


class Task(TimestampMixin, Model):
    __tablename__ = "tasks"
    # One task per name in a project, whatever its case.
    __table_args__ = (UniqueConstraint("project_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))  # kept by _set_name_key
    closed: Mapped[bool] = mapped_column(default=False, server_default=false())

    project: Mapped[Project] = relationship(back_populates="tasks")
    time_entries: WriteOnlyMapped[TimeEntry] = relationship(back_populates="task")

    @validates("name")
    def _set_name_key(self, _attribute: str, name: str) -> str:
        self.name_key = name_key(name)
        return name

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.name!r}>"
