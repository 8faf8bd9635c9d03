"""When each Celery worker last ran a task: the proof, for ``/readyz``, that work gets done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import Model
from models.columns import UTCDateTime


class WorkerHeartbeat(Model):
    __tablename__ = "worker_heartbeats"

    # The worker's node name (celery@host), one row per worker, overwritten by each heartbeat.
    worker: Mapped[str] = mapped_column(String(255), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<WorkerHeartbeat {self.worker} {self.seen_at:%H:%M:%S}>"
