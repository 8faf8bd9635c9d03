"""The access policy: the one place that says who may see or change what.

Every service builds its queries on the scoped selects and filters below, and looks single
objects up through them, so "may this user see this?" is answered here and nowhere else. An
object outside a user's scope is not found (the interfaces answer 404, never 403: its existence
is not told). Today a user sees and changes their own projects, tasks, entries and reports; a
team or a new role changes this module, not the services built on it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import contains_eager

from models import ApiToken, Project, Report, Task, TimeEntry, Timer
from models.columns import ID_MAX


def project_scope(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the projects this user may see and change."""
    return Project.owner_id == user_id


def entry_scope(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the time entries this user may see and change (their own)."""
    return TimeEntry.user_id == user_id


def timer_scope(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the timers this user may see, start and stop (their own)."""
    return Timer.user_id == user_id


def report_scope(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause: the reports this user may see and download (their own)."""
    return Report.user_id == user_id


def projects_of(user_id: int) -> Select[Project]:
    return select(Project).where(project_scope(user_id))


def tasks_of(user_id: int) -> Select[Task]:
    """The tasks of the projects in the user's scope, each with its project loaded."""
    return (
        select(Task)
        .join(Task.project)
        .where(project_scope(user_id))
        .options(contains_eager(Task.project))
    )


def entries_of(user_id: int) -> Select[TimeEntry]:
    return select(TimeEntry).where(entry_scope(user_id))


def timers_of(user_id: int) -> Select[Timer]:
    return select(Timer).where(timer_scope(user_id))


def reports_of(user_id: int) -> Select[Report]:
    return select(Report).where(report_scope(user_id))


def tokens_of(user_id: int) -> Select[ApiToken]:
    """The personal access tokens this user may see and revoke (their own)."""
    return select(ApiToken).where(ApiToken.user_id == user_id)


def is_possible_id(value: object) -> bool:
    """Could ``value`` be the id of a row? A number beyond the integer column (say from a forged
    form) matches nothing, and on PostgreSQL even comparing with it fails: lookups check first."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX
