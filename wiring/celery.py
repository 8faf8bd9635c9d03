"""Celery for one Flask app: its settings checked, tasks run inside the app's context, and the
database connections a forked worker process inherits dropped.

``app.py:register_celery`` has ``celery_init_app`` run on the first read of
``app.extensions["celery"]`` (sending a task, or ``celery_worker.py`` at a worker's start): a web
process that sends no task never imports Celery's app machinery.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task
from celery.signals import after_setup_logger, worker_process_init, worker_ready
from flask import Flask

from extensions import db
from services.platform import request_id
from services.platform.heartbeat import record_heartbeat
from wiring.celery_settings import check_celery_settings
from wiring.logging import format_handlers

log = logging.getLogger("timesheet.worker")


def celery_init_app(app: Flask) -> Celery[Any]:
    """A new Celery instance for this app, whose tasks run inside this app's context.

    One per app, never a module global: a global keeps the first app it saw, and a test or a
    second ``create_app()`` would run tasks against the wrong configuration. Code that enqueues
    picks the instance of ``flask.current_app`` (see ``services/platform/queue.py``).
    """
    settings = app.config["CELERY"]
    check_celery_settings(settings)

    class FlaskTask(Task[Any, Any]):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            # The context's teardown removes the session (rollback + return the connection), so
            # a task that fails mid-transaction leaves nothing behind for the next task.
            with app.app_context():
                # The id of the request that queued this task (a header set by queue.enqueue),
                # so its log lines can be found next to the request's.
                queued_by = getattr(self.request, request_id.TASK_HEADER, None)
                request_id.set_current(request_id.accept_or_generate(queued_by))
                if not self.request.called_directly:
                    log.info("task %s[%s] started", self.name, self.request.id)
                return self.run(*args, **kwargs)

    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(settings)
    # An attribute of our own on Celery's object, read by dispose_engines_after_fork.
    celery_app.flask_app = app  # type: ignore[attr-defined]
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


@worker_process_init.connect(weak=False, dispatch_uid="timesheet.dispose_engines_after_fork")
def dispose_engines_after_fork(**_kwargs: Any) -> None:
    """In each forked pool process, drop the connections inherited from the parent without
    closing them (they belong to the parent): two processes on one socket corrupt both."""
    from celery import current_app as current_celery

    flask_app = getattr(current_celery, "flask_app", None)
    if flask_app is None:
        return
    with flask_app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


@worker_ready.connect(weak=False, dispatch_uid="timesheet.heartbeat_on_start")
def heartbeat_on_start(sender: Any = None, **_kwargs: Any) -> None:
    """A worker that has just started is alive: /readyz need not wait for beat's first tick."""
    flask_app = getattr(sender.app, "flask_app", None) if sender is not None else None
    if flask_app is None:
        return
    with flask_app.app_context():
        try:
            record_heartbeat(sender.hostname)
        except Exception:  # a database that is down must not stop the worker from starting
            log.exception("could not record the worker heartbeat at start")


@after_setup_logger.connect(weak=False, dispatch_uid="timesheet.worker_log_format")
def worker_log_format(logger: logging.Logger, **_kwargs: Any) -> None:
    """The worker's handlers (Celery sets them up) get the app's format: JSON in production, and
    the request id on every line."""
    from celery import current_app as current_celery

    flask_app = getattr(current_celery, "flask_app", None)
    if flask_app is not None:
        format_handlers(logger, flask_app.config["LOG_FORMAT"])
