"""Projects of a team: every query here is built on the access policy's scopes.

Visibility lives in the queries, never in a check after loading: a project id of a team the
user is not in is simply not found, and the route answers 404 for it exactly as for an id that
does not exist. Changing a project needs the ``manage_projects`` ability in its team (403).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import Project, Task, User
from models.columns import name_key
from services import access
from services.platform.paging import paginate
from services.platform.text import UNPRINTABLE_MESSAGE, is_printable
from services.platform.transactions import locked

NAME_MAX_LENGTH = 100
TASK_NAMES_SHOWN = 4  # open task names per row of the projects list


class InvalidName(ValueError):
    """A name the user must change; the message says why."""


class NameTaken(InvalidName):
    pass


def clean_name(name: str) -> str:
    """Trim and collapse inner whitespace; refuse empty, too long and unprintable names."""
    # Checked before white space is collapsed: str.split() would silently turn the Unicode line
    # separator into a space. Tabs and line breaks are only collapsed.
    if not is_printable(name or "", multiline=True):
        raise InvalidName(UNPRINTABLE_MESSAGE)
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidName("Enter a name.")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise InvalidName(f"Keep the name to {NAME_MAX_LENGTH} characters or fewer.")
    return cleaned


def get_project_for(user_id: int, project_id: int, *, lock: bool = False) -> Project | None:
    """One of the user's teams' projects. ``lock``: for a change checked against what is read
    here (the API's If-Match): the row stays locked until the change commits."""
    if not access.is_possible_id(project_id):
        return None
    query = access.projects_of(user_id).where(Project.id == project_id)
    return db.session.scalar(locked(query, Project) if lock else query)


@dataclass(frozen=True)
class ProjectRow:
    """One row of the projects list: the project, its task counts, its first open task names."""

    project: Project
    open_tasks: int = 0
    all_tasks: int = 0
    first_open_names: list[str] = field(default_factory=list)

    @property
    def more_open_tasks(self) -> bool:
        return self.open_tasks > len(self.first_open_names)


@dataclass(frozen=True)
class ProjectList:
    page: Pagination  # for the pager
    rows: list[ProjectRow]
    counts: dict[bool, int]  # projects per tab: active (False) and archived (True)


def require_manager_of(user: User, project: Project) -> None:
    """Changing a project or its tasks needs ``manage_projects`` in the project's team."""
    access.require_in_team(user.id, project.team_id, "manage_projects")


def list_projects(team_id: int, *, archived: bool, page: int, per_page: int) -> ProjectList:
    """One page of the team's active (or archived) projects with their task counts and first
    ``TASK_NAMES_SHOWN`` open task names, and how many projects each tab holds. Never loads
    every task, and two queries whatever the number of projects or tasks: the page's projects
    with their counts (task counts as correlated subqueries, the tab totals alongside), then the
    names (limited by a window function). ``team_id`` comes from the user's current membership
    (access.current_membership)."""
    is_open = case((Task.closed.is_(False), 1), else_=0)
    open_tasks = (
        select(func.coalesce(func.sum(is_open), 0))
        .where(Task.project_id == Project.id)
        .correlate(Project)
        .scalar_subquery()
    )
    all_tasks = (
        select(func.count()).where(Task.project_id == Project.id).correlate(Project)
    ).scalar_subquery()
    other_tab = (
        select(func.count())
        .select_from(Project)
        .where(Project.team_id == team_id, Project.archived.is_(not archived))
        .scalar_subquery()
        .label("other_tab")
    )
    query = (
        access.projects_of_team(team_id)
        .add_columns(open_tasks, all_tasks)
        .where(Project.archived.is_(archived))
        .order_by(func.lower(Project.name), Project.id)
    )
    pagination = paginate(query, page=page, per_page=per_page, extra=(other_tab,))
    items: list[tuple[Project, int, int]] = list(pagination.items)
    pagination.items = [project for project, _, _ in items]  # the page holds projects, as ever
    names = _first_open_task_names([project.id for project, _, _ in items]) if items else {}
    rows = [
        ProjectRow(project, int(open_), int(all_), first_open_names=names.get(project.id, []))
        for project, open_, all_ in items
    ]
    if pagination.extras is None:  # an empty page: no row carried the tab totals
        counts = count_projects(team_id)
    else:
        total = pagination.total or 0
        counts = {archived: total, not archived: int(pagination.extras["other_tab"])}
    return ProjectList(pagination, rows, counts)


def _first_open_task_names(project_ids: list[int]) -> dict[int, list[str]]:
    """project id -> the first open task names (as the project page orders them)."""
    position = (
        func.row_number()
        .over(partition_by=Task.project_id, order_by=(func.lower(Task.name), Task.id))
        .label("position")
    )
    ranked = (
        select(Task.project_id, Task.name, position)
        .where(Task.project_id.in_(project_ids), Task.closed.is_(False))
        .subquery()
    )
    query = (
        select(ranked.c.project_id, ranked.c.name)
        .where(ranked.c.position <= TASK_NAMES_SHOWN)
        .order_by(ranked.c.project_id, ranked.c.position)
    )
    names: dict[int, list[str]] = {}
    for project_id, name in db.session.execute(query):
        names.setdefault(project_id, []).append(name)
    return names


def count_projects(team_id: int) -> dict[bool, int]:
    """How many active (False) and archived (True) projects the team has: for the tab labels."""
    rows = db.session.execute(
        select(Project.archived, func.count())
        .where(Project.team_id == team_id)
        .group_by(Project.archived)
    )
    counts = {False: 0, True: 0}
    for archived, count in rows:
        counts[bool(archived)] = count
    return counts


def _name_taken(team_id: int, name: str, except_id: int | None) -> bool:
    query = select(Project.id).where(Project.team_id == team_id, Project.name_key == name_key(name))
    if except_id is not None:
        query = query.where(Project.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def commit_or_name_taken(message: str) -> None:
    """Commit; a unique-constraint race with another request (both passed the check, one
    commit loses) is rolled back and becomes NameTaken(message), a form error, not a 500."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise NameTaken(message) from None


def project_name_taken(name: str) -> str:
    return f"The team already has a project called “{name}”."


def _unused_name(team_id: int, name: str, except_id: int | None) -> str:
    """The cleaned name, if no other project of the team has it (NameTaken otherwise)."""
    name = clean_name(name)
    if _name_taken(team_id, name, except_id):
        raise NameTaken(project_name_taken(name))
    return name


def create_project(user: User, name: str) -> Project:
    """A new project in the user's current team (``manage_projects`` needed)."""
    membership = access.require_current(user, "manage_projects")
    name = _unused_name(membership.team_id, name, None)
    project = Project(team_id=membership.team_id, name=name)
    db.session.add(project)
    commit_or_name_taken(project_name_taken(name))
    return project


def update_project(
    user: User, project: Project, *, name: str | None = None, archived: bool | None = None
) -> Project:
    """Rename and/or (un)archive in one commit (the API's PATCH, and the pages through the two
    functions below): a refused name changes nothing."""
    require_manager_of(user, project)
    if name is not None:
        project.name = _unused_name(project.team_id, name, project.id)
    if archived is not None:
        project.archived = archived
    commit_or_name_taken(project_name_taken(project.name))
    return project


def rename_project(user: User, project: Project, name: str) -> Project:
    return update_project(user, project, name=name)


def set_archived(user: User, project: Project, archived: bool) -> Project:
    return update_project(user, project, archived=archived)
