"""Every model, re-exported.

Importing this package registers every table on ``db.metadata``: ``create_app()`` imports it, so
Alembic autogenerate, ``flask db check`` and the tests' metadata see the whole schema, never a part
of it. A new model module must be added here; ``tests/architecture/test_metadata.py`` fails until
it is.
"""

from models.api_token import ApiToken
from models.project import Project
from models.report import Report
from models.task import Task
from models.time_entry import TimeEntry
from models.timer import Timer
from models.user import User
from models.user_session import UserSession
from models.worker_heartbeat import WorkerHeartbeat

__all__ = [
    "ApiToken",
    "Project",
    "Report",
    "Task",
    "TimeEntry",
    "Timer",
    "User",
    "UserSession",
    "WorkerHeartbeat",
]
