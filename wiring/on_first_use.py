"""Extensions a process builds only when it first uses them.

A web worker never runs a migration and may never send a task, yet importing Alembic (through
Flask-Migrate) and Celery's app machinery is about half of ``create_app()``'s start-up time and a
good part of a worker's memory. ``on_first_use(app, name, build)`` makes ``app.extensions[name]``
call ``build()`` the first time it is read: Flask-Migrate reads ``extensions["migrate"]`` in every
command and in ``migrations/env.py``, ``services/platform/queue.py`` reads ``extensions["celery"]``
to send a task, and ``celery_worker.py`` reads it at start.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask


class LazyExtensions(dict[str, Any]):
    """``app.extensions`` with entries that are built on first read (``extensions[name]``;
    ``name in extensions`` and ``.get`` do not build). Thread-safe: built once."""

    def __init__(self, initial: dict[str, Any]) -> None:
        super().__init__(initial)
        self.builders: dict[str, Callable[[], Any]] = {}
        self._lock = threading.RLock()

    def __missing__(self, name: str) -> Any:
        with self._lock:
            if dict.__contains__(self, name):  # another thread built it meanwhile
                return dict.__getitem__(self, name)
            build = self.builders.get(name)
            if build is None:
                raise KeyError(name)
            self.setdefault(name, build())  # the builder may have stored it itself
            del self.builders[name]
            return dict.__getitem__(self, name)


def on_first_use(app: Flask, name: str, build: Callable[[], Any]) -> None:
    """Let ``app.extensions[name]`` be ``build()``'s result, built when first read."""
    if not isinstance(app.extensions, LazyExtensions):
        app.extensions = LazyExtensions(app.extensions)
    app.extensions.builders[name] = build


def is_built(app: Flask, name: str) -> bool:
    return dict.__contains__(app.extensions, name)
