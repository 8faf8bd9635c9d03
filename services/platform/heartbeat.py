"""Worker heartbeats: a worker writes the time when it starts and each time it runs the
``platform.heartbeat`` task (celery beat queues it every 30 s); ``/readyz`` reads the newest.

Kept in a table rather than in the broker or result store: it then works the same with every
broker (Redis, RabbitMQ, the zero-server SQLite one), and "the worker can reach the database" is
part of what it proves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import WorkerHeartbeat
from models.columns import utcnow

HEARTBEAT_TASK = "platform.heartbeat"


def record_heartbeat(worker: str) -> None:
    """Upsert this worker's row with the current time; commits."""
    for _attempt in range(2):  # two processes of one worker may insert its first row at once
        row = db.session.get(WorkerHeartbeat, worker)
        if row is None:
            db.session.add(WorkerHeartbeat(worker=worker, seen_at=utcnow()))
        else:
            row.seen_at = utcnow()
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()


def latest_heartbeat() -> datetime | None:
    return db.session.scalar(select(func.max(WorkerHeartbeat.seen_at)))
