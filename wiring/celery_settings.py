"""Checks of the CELERY settings. The timeouts are checked when the app is created; the names,
which need Celery's table of settings (importing it loads most of Celery), when the app's Celery
instance is built (``wiring/celery.py``): at a worker's start, at a web process's first task.
"""

from __future__ import annotations

from typing import Any

from config import ConfigError


def known_celery_settings() -> frozenset[str]:
    """Every lower-case setting name this Celery version understands."""
    from celery.app.defaults import NAMESPACES, flatten

    # celery-types declares flatten() as returning a dict; it yields (name, option) pairs.
    pairs = flatten(NAMESPACES)
    return frozenset(name for name, _option in pairs)  # type: ignore[str-unpack]


def check_celery_settings(settings: dict[str, Any]) -> None:
    """Refuse a misspelt Celery setting at start: Celery itself silently ignores it, so a typo in
    ``task_acks_late`` would quietly turn off late acknowledgement."""
    unknown = sorted(set(settings) - known_celery_settings())
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise ConfigError(
            f"Unknown Celery setting(s) in CELERY: {names} (use Celery's lower-case names, "
            "e.g. broker_url, task_acks_late; see the Celery configuration reference)."
        )
    check_visibility_timeout(settings)


def check_visibility_timeout(settings: dict[str, Any]) -> None:
    """Plain numbers, no Celery import: ``app.py:register_celery`` runs this at start."""
    visibility = (settings.get("broker_transport_options") or {}).get("visibility_timeout")
    limit = settings.get("task_time_limit")
    if visibility is not None and limit is not None and float(visibility) <= float(limit):
        raise ConfigError(
            f"CELERY broker_transport_options.visibility_timeout ({visibility}) must be above "
            f"task_time_limit ({limit}): otherwise Redis hands a running task to a second worker."
        )
