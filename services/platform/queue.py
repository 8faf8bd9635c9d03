"""Putting work on the Celery queue, on this app's Celery instance.

Publish only what is already committed: a worker picks a task up within milliseconds and loads
its rows on its own connection. Every caller commits first (``services/reports/exports.py``
stores the report, ``services/accounts/users.py`` the account), then calls ``enqueue``.

Tasks are looked up by name on ``current_app.extensions["celery"]``, never through the
``@shared_task`` proxy: that proxy follows Celery's *default* app, which is whichever app was
created last, so a second app (a test, a script) would publish to the wrong broker.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app

from services.platform import request_id

log = logging.getLogger(__name__)


class QueueUnavailable(RuntimeError):
    """The broker could not be reached within the publish retry policy (a few seconds)."""


def enqueue(task_name: str, *args: Any) -> str:
    """Publish now; return the task id. Raise QueueUnavailable when the broker is down.

    Arguments must be ids and plain values (JSON): the task loads fresh rows itself. The current
    request id travels as a message header, so the worker logs the task under the same id.
    """
    celery_app = current_app.extensions["celery"]  # built on first use (wiring/on_first_use.py)
    # Imported here, not at the top: a web process that sends no task never loads kombu.
    from kombu.exceptions import OperationalError as KombuOperationalError

    task = celery_app.tasks[task_name]
    headers = {request_id.TASK_HEADER: request_id.current() or request_id.new_request_id()}
    try:
        result = task.apply_async(args=args, retry=True, headers=headers)
    except (KombuOperationalError, OSError) as exc:
        log.error("could not queue %s: %s", task_name, exc)
        message = f"The task queue is unavailable ({exc.__class__.__name__})."
        raise QueueUnavailable(message) from exc
    return str(result.id)
