"""Tasks inside a team's projects. A task belongs to a team through its project, so every query
joins the project and filters by the access policy's project scope. Changing tasks needs
``manage_projects`` in the project's team."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from extensions import db
from models import Project, Task, User
from models.columns import name_key
from services import access
from services.platform.paging import paginate
from services.platform.transactions import locked
from services.projects.projects import (
    NameTaken,
    clean_name,
    commit_or_name_taken,
    require_manager_of,
)


def get_task_for(user_id: int, task_id: int, *, lock: bool = False) -> Task | None:
    """One of the user's teams' tasks. ``lock``: as ``get_project_for``."""
    if not access.is_possible_id(task_id):
        return None
    query = access.tasks_of(user_id).where(Task.id == task_id)
    return db.session.scalar(locked(query, Task) if lock else query)


def list_tasks(project: Project, *, page: int, per_page: int) -> Pagination:
    query = (
        select(Task)
        .where(Task.project_id == project.id)
        .order_by(Task.closed, func.lower(Task.name), Task.id)
    )
    return paginate(query, page=page, per_page=per_page)


def open_tasks_for(user_id: int, team_id: int | None = None) -> list[Task]:
    """What time can be logged on: the user's open tasks in active projects, project loaded;
    only one team's with ``team_id`` (the week grid offers the current team's)."""
    query = (
        access.tasks_of(user_id)
        .where(Task.closed.is_(False), Project.archived.is_(False))
        .order_by(func.lower(Project.name), func.lower(Task.name), Task.id)
    )
    if team_id is not None:
        query = query.where(Project.team_id == team_id)
    return list(db.session.scalars(query))


def open_task_choices(user_id: int, team_id: int) -> list[tuple[int, str, str]]:
    """(task id, project name, task name) of the open tasks of the user's current team, for the
    timer's picker on every page: plain column rows, not objects, so a long task list costs one
    light query. ``team_id`` is the current team (routes.team_context); the project scope still
    applies, so a team the user left offers nothing."""
    query = (
        select(Task.id, Project.name, Task.name)
        .join(Task.project)
        .where(
            access.project_scope(user_id),
            Project.team_id == team_id,
            Task.closed.is_(False),
            Project.archived.is_(False),
        )
        .order_by(func.lower(Project.name), func.lower(Task.name), Task.id)
    )
    return [(task_id, project, task) for task_id, project, task in db.session.execute(query)]


def get_open_task_for(user_id: int, task_id: int) -> Task | None:
    if not access.is_possible_id(task_id):
        return None
    query = access.tasks_of(user_id).where(
        Task.id == task_id, Task.closed.is_(False), Project.archived.is_(False)
    )
    return db.session.scalar(query)


def _name_taken(project_id: int, name: str, except_id: int | None) -> bool:
    query = select(Task.id).where(Task.project_id == project_id, Task.name_key == name_key(name))
    if except_id is not None:
        query = query.where(Task.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def task_name_taken(name: str) -> str:
    return f"This project already has a task called “{name}”."


def _unused_name(project_id: int, name: str, except_id: int | None) -> str:
    """The cleaned name, if no other task of the project has it (NameTaken otherwise)."""
    name = clean_name(name)
    if _name_taken(project_id, name, except_id):
        raise NameTaken(task_name_taken(name))
    return name


def create_task(user: User, project: Project, name: str) -> Task:
    require_manager_of(user, project)
    name = _unused_name(project.id, name, None)
    task = Task(project_id=project.id, name=name)
    db.session.add(task)
    commit_or_name_taken(task_name_taken(name))
    return task


def update_task(
    user: User, task: Task, *, name: str | None = None, closed: bool | None = None
) -> Task:
    """Rename and/or close (reopen) in one commit (the API's PATCH, and the pages through the
    two functions below): a refused name changes nothing."""
    require_manager_of(user, task.project)
    if name is not None:
        task.name = _unused_name(task.project_id, name, task.id)
    if closed is not None:
        task.closed = closed
    commit_or_name_taken(task_name_taken(task.name))
    return task


def rename_task(user: User, task: Task, name: str) -> Task:
    return update_task(user, task, name=name)


def set_closed(user: User, task: Task, closed: bool) -> Task:
    return update_task(user, task, closed=closed)
