"""A project of a team; its name is unique among the team's projects, whatever its case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from extensions import Model
from models.columns import NAME_KEY_LENGTH, TimestampMixin, name_key

if TYPE_CHECKING:
    from models.task import Task
    from models.team import Team


class Project(TimestampMixin, Model):
    __tablename__ = "projects"
    # One project per name in a team, whatever its case; also the index for "a team's
    # projects" (team_id leads).
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deleting a team deletes its projects and tasks; the services refuse it while time is
    # logged on them (time entries point at tasks with NO ACTION).
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))  # kept by _set_name_key
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())

    team: Mapped[Team] = relationship(back_populates="projects")
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
