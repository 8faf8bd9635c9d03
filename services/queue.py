"""Putting work on the Celery queue: on this app's Celery instance, and only after the commit.

Tasks are looked up by name on ``current_app.extensions["celery"]``, never through the
``@shared_task`` proxy: that proxy follows Celery's *default* app, which is whichever app was
created last, so a second app (a test, a script) would publish to the wrong broker.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from flask_sqlalchemy.session import Session as FlaskSession
from kombu.exceptions import OperationalError as KombuOperationalError
from sqlalchemy import event
from sqlalchemy.orm import Session

from extensions import db

log = logging.getLogger(__name__)

PENDING_KEY = "timesheet.enqueue_after_commit"


class QueueUnavailable(RuntimeError):
    """The broker could not be reached within the publish retry policy (a few seconds)."""


def enqueue(task_name: str, *args: Any) -> str:
    """Publish now; return the task id. Raise QueueUnavailable when the broker is down.

    Arguments must be ids and plain values (JSON): the task loads fresh rows itself.
    """
    celery_app = current_app.extensions["celery"]
    task = celery_app.tasks[task_name]
    try:
        result = task.apply_async(args=args, retry=True)
    except (KombuOperationalError, OSError) as exc:
        log.error("could not queue %s: %s", task_name, exc)
        message = f"The task queue is unavailable ({exc.__class__.__name__})."
        raise QueueUnavailable(message) from exc
    return str(result.id)


def enqueue_after_commit(task_name: str, *args: Any) -> None:
    """Publish when the current ``db.session`` transaction commits; forget it on rollback.

    A worker can pick a task up within milliseconds: sent before the commit, it would look for
    rows that do not exist yet (or never will, if the request then fails). A failure to publish
    surfaces as QueueUnavailable from ``db.session.commit()`` - after the data is committed.
    """
    db.session().info.setdefault(PENDING_KEY, []).append((task_name, args))


@event.listens_for(FlaskSession, "after_commit")
def _publish_pending(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, [])
    for task_name, args in pending:
        enqueue(task_name, *args)


@event.listens_for(FlaskSession, "after_soft_rollback")
def _drop_pending(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(PENDING_KEY, None)
