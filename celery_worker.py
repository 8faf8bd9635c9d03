"""Entry point for ``celery -A celery_worker worker`` (and ``beat``).

Builds the Flask app with the factory and exposes its Celery instance, so the worker loads Celery,
with every task registered and each one running inside this app's context.
"""

import os

from app import create_app

# Log at INFO unless told otherwise (Celery's default is WARNING), so a plain
# `celery -A celery_worker worker` shows its task list and its "ready" line. Celery's command line
# reads CELERY_WORKER_LOGLEVEL / CELERY_BEAT_LOGLEVEL after it has loaded this module; an explicit
# --loglevel or a value already in the environment still wins.
os.environ.setdefault("CELERY_WORKER_LOGLEVEL", "INFO")
os.environ.setdefault("CELERY_BEAT_LOGLEVEL", "INFO")

flask_app = create_app()
celery = flask_app.extensions["celery"]
