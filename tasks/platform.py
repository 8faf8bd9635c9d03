"""The heartbeat task: proof for ``/readyz`` that a worker takes tasks from the queue."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from services.platform.heartbeat import HEARTBEAT_TASK, record_heartbeat


@shared_task(name=HEARTBEAT_TASK, bind=True, ignore_result=True, acks_late=True)
def heartbeat(self: Task[Any, Any]) -> None:
    record_heartbeat(self.request.hostname or "unknown")
