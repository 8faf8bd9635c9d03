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
FLUSHED_KEY = "timesheet.flushed_uncommitted"


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
    is logged (the data is committed by then; see enqueue_when_committed).
    """
    db.session().info.setdefault(PENDING_KEY, []).append((task_name, args))


def has_uncommitted_writes() -> bool:
    session = db.session()
    return bool(session.new or session.dirty or session.deleted or session.info.get(FLUSHED_KEY))


def enqueue_when_committed(task_name: str, *args: Any) -> bool:
    """Publish after the current transaction commits if it holds writes, else at once.

    Fire and forget (for mail): a broker that is down is logged and reported as False, never
    raised, because the data the task is about is (or will be) committed already. Callers that
    must tell the user (an export) use ``enqueue`` and handle QueueUnavailable themselves.
    """
    if has_uncommitted_writes():
        enqueue_after_commit(task_name, *args)
        return True
    try:
        enqueue(task_name, *args)
    except QueueUnavailable:
        return False
    return True


@event.listens_for(FlaskSession, "after_flush")
def _remember_flush(session: Session, _flush_context: Any) -> None:
    session.info[FLUSHED_KEY] = True


@event.listens_for(FlaskSession, "after_commit")
def _publish_pending(session: Session) -> None:
    session.info.pop(FLUSHED_KEY, None)
    pending = session.info.pop(PENDING_KEY, [])
    for task_name, args in pending:
        try:
            enqueue(task_name, *args)
        except QueueUnavailable:
            log.error("task %s was not queued after the commit (broker down)", task_name)


@event.listens_for(FlaskSession, "after_soft_rollback")
def _drop_pending(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(FLUSHED_KEY, None)
    session.info.pop(PENDING_KEY, None)
