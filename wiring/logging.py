"""Logging for the web app and the worker: one handler on the root logger, text or JSON, and the
current request id on every record.

Used by ``app.py`` (``configure_logging``) and ``wiring/celery.py`` (the worker's handlers).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.logging import default_handler

from services.platform import request_id

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged.
STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_"):
                body[key] = value
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, default=str)


def formatter_for(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    return logging.Formatter(TEXT_FORMAT)


_factory_installed = False


def install_request_id_factory() -> None:
    """Every record, from any logger (ours, Celery's, a library's), carries ``request_id``: the
    id of the request or task being handled, else "-". Installed once per process."""
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = request_id.current() or "-"
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True


def configure_logging(app: Flask) -> None:
    """Records of ``app.logger`` and its children reach the root handler once: Flask's own
    stderr handler on ``app.logger`` is removed, else each line would be written twice (once by
    it, once by the root handler that gunicorn's or Celery's set-up adds)."""
    install_request_id_factory()
    app.logger.setLevel(app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(formatter_for(app.config["LOG_FORMAT"]))
        root.addHandler(handler)


def format_handlers(logger: logging.Logger, log_format: str) -> None:
    """Give handlers someone else set up (Celery's worker) our format."""
    for handler in logger.handlers:
        handler.setFormatter(formatter_for(log_format))
