"""Every model, re-exported.

Importing this package registers every table on ``db.metadata``: ``create_app()`` imports it, so
Alembic autogenerate, ``flask db check`` and the tests' metadata see the whole schema, never a part
of it. A new model module must be added here; ``tests/architecture/test_metadata.py`` fails until
it is.
"""

from models.api_token import ApiToken
from models.idempotency_key import IdempotencyKey
from models.invitation import Invitation
from models.membership import Membership
from models.project import Project
from models.report import Report
from models.task import Task
from models.team import Team
from models.time_entry import TimeEntry
from models.timer import Timer
from models.user import User
from models.user_session import UserSession
from models.week_approval import WeekApproval
from models.week_event import WeekEvent
from models.worker_heartbeat import WorkerHeartbeat

__all__ = [
    "ApiToken",
    "IdempotencyKey",
    "Invitation",
    "Membership",
    "Project",
    "Report",
    "Task",
    "Team",
    "TimeEntry",
    "Timer",
    "User",
    "UserSession",
    "WeekApproval",
    "WeekEvent",
    "WorkerHeartbeat",
]
