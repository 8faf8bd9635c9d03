"""The id of the request (or of the task it enqueued) that the current code runs for.

Set by the web app for each request (``routes/site.py``) and by the worker for each task
(``wiring/celery.py``, from the task's headers); read by the logs and by ``queue.enqueue``, which
passes it on to every task a request queues. One id follows the work from the web to the worker.
"""

from __future__ import annotations

import re
import uuid

from flask import g, has_app_context

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# What a proxy or client may hand us: short, and nothing that could forge a log line.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_or_generate(candidate: str | None) -> str:
    """The client's id when it is sane, else a fresh one."""
    if candidate and SANE_ID.fullmatch(candidate):
        return candidate
    return new_request_id()


def set_current(request_id: str) -> None:
    g.request_id = request_id


def current() -> str | None:
    if not has_app_context():
        return None
    value = g.get("request_id")
    return value if isinstance(value, str) else None
