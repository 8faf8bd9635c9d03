"""Entry point for ``celery -A celery_worker worker`` (and ``beat``).

Builds the Flask app with the factory and exposes its Celery instance, so the worker loads Celery,
with every task registered and each one running inside this app's context.
"""

from app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
