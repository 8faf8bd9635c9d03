"""The application factory: the one place where the pieces are put together.

Nothing in here runs at import time. Blueprints and models are imported inside the functions that
register them, so importing this module never pulls in a route that could import it back.
The ``flask`` command finds ``create_app`` here by itself (``app.py`` in the current folder).
"""

from __future__ import annotations

import copy
import os
from functools import partial
from typing import Any

from flask import Flask

import config
from extensions import api, csrf, db, limiter, login_manager
from wiring import database, form_requests, security_headers
from wiring.celery_settings import check_visibility_timeout
from wiring.converters import register_converters
from wiring.logging import configure_logging
from wiring.migrations import register_migrations
from wiring.on_first_use import on_first_use
from wiring.sqlite import configure_sqlite, lock_writing_requests
from wiring.wsgi import apply_body_timeout, apply_proxy_fix

INSTANCE_PATH_VAR = "TIMESHEET_INSTANCE_PATH"
# The queue interface: modules holding @shared_task functions. Building the Celery instance imports
# them, so `import celery_worker` alone registers every task with the worker.
TASK_MODULES = ("tasks.reports", "tasks.mail", "tasks.accounts", "tasks.platform")
# Options the SQLAlchemy transport understands; it hands any other one to create_engine(),
# which refuses Redis-only ones such as visibility_timeout.
SQLA_TRANSPORT_OPTIONS = (
    "queue_tablename",
    "message_tablename",
    "connect_args",
    "polling_interval",
)


def create_app(
    config_name: str | None = None, *, instance_path: str | None = None, **overrides: Any
) -> Flask:
    """Build an app. ``config_name`` picks a class from ``config.py`` (default: the
    ``TIMESHEET_ENV`` variable, else ``development``); ``overrides`` win over everything."""
    # TIMESHEET_INSTANCE_PATH lets a worker started as `celery -A celery_worker worker` (which
    # cannot pass arguments to create_app) use the same instance folder as the web app.
    instance_path = instance_path or os.environ.get(INSTANCE_PATH_VAR) or None
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    load_config(app, config_name, overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    configure_logging(app)
    register_converters(app)  # before any route is added
    register_extensions(app)
    register_celery(app)
    register_blueprints(app)
    register_commands(app)
    # Outermost last: ProxyFix sees the request first and fixes scheme, host and address.
    apply_body_timeout(app)
    apply_proxy_fix(app)
    return app


def load_config(app: Flask, config_name: str | None, overrides: dict[str, Any]) -> None:
    """Class defaults, then ``FLASK_*`` environment variables, then explicit overrides."""
    name = config_name or os.environ.get(config.ENV_VAR) or "development"
    app.config.from_object(config.config_class(name))
    # A deep copy per app: never share the class dict (or its nested dicts) between apps.
    app.config["CELERY"] = copy.deepcopy(app.config["CELERY"])
    app.config["API_SPEC_OPTIONS"] = copy.deepcopy(app.config["API_SPEC_OPTIONS"])
    app.config.from_prefixed_env()
    app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = config.normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    config.check_settings(app.config)


def register_extensions(app: Flask) -> None:
    import models  # noqa: F401  (registers every table on db.metadata before anything reads it)
    import services.platform.data_version  # noqa: F401  (the session hook that bumps versions)
    from services.access import with_membership_and_timer
    from services.accounts.sessions import load_user

    db.init_app(app)
    # Flask-Migrate and Alembic load with the first `flask db` command (or upgrade() call).
    register_migrations(app, db, os.path.join(app.root_path, "migrations"))
    login_manager.init_app(app)
    login_manager.user_loader(partial(load_user, with_membership=with_membership_and_timer))
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    database.init_app(app)
    api.init_app(app)
    limiter.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_SECONDS"])
        if db.engine.dialect.name == "sqlite":
            lock_writing_requests(app)


def register_celery(app: Flask) -> None:
    """Fill in the zero-server broker and result store (SQLite files in the instance folder)
    where no URL was configured, and check the timeouts. This app's Celery instance is built,
    and its setting names are checked, when ``app.extensions["celery"]`` is first read: at the
    start of a worker or beat (``celery_worker.py``), at the first task a web process sends.
    Checking the names needs Celery's own table of settings, whose import loads most of Celery:
    a fifth of a web process's start-up and several MB per web worker that sends no task."""
    settings = app.config["CELERY"]
    folder = app.instance_path
    if not settings.get("broker_url"):
        settings["broker_url"] = "sqla+sqlite:///" + os.path.join(folder, "celery-broker.sqlite3")
    if not settings.get("result_backend"):
        results = os.path.join(folder, "celery-results.sqlite3")
        settings["result_backend"] = "db+sqlite:///" + results
    if not settings.get("beat_schedule_filename"):
        settings["beat_schedule_filename"] = os.path.join(folder, "celerybeat-schedule")
    if str(settings["broker_url"]).startswith("sqla+"):
        options = settings.get("broker_transport_options") or {}
        settings["broker_transport_options"] = {
            key: value for key, value in options.items() if key in SQLA_TRANSPORT_OPTIONS
        }
        # SQLite broker shared by the web app and the worker: wait for a lock, don't fail.
        settings["broker_transport_options"].setdefault("connect_args", {"timeout": 30})
    check_visibility_timeout(settings)
    on_first_use(app, "celery", lambda: build_celery(app))


def build_celery(app: Flask) -> Any:
    """Import the task modules, then make the app's Celery instance (``wiring/celery.py``)."""
    import importlib

    from wiring.celery import celery_init_app

    for module in TASK_MODULES:
        importlib.import_module(module)
    return celery_init_app(app)


def register_blueprints(app: Flask) -> None:
    """The HTTP interface: one blueprint per feature, the app-wide hooks of ``routes/site.py``
    (error pages, template filters, caching headers), the JSON API (``routes/api/``), and two
    request guards from ``wiring/``: form endpoints take form bodies only, every response gets
    the security headers."""
    from routes import site
    from routes.api.registry import register_api
    from routes.approvals.views import bp as approvals_bp
    from routes.auth.views import bp as auth_bp
    from routes.dashboard.views import bp as dashboard_bp
    from routes.entries.views import bp as entries_bp
    from routes.projects.views import bp as projects_bp
    from routes.reports.views import bp as reports_bp
    from routes.settings.views import bp as settings_bp
    from routes.teams.views import bp as teams_bp
    from routes.timer.views import bp as timer_bp
    from routes.tokens.views import bp as tokens_bp

    site.init_app(app)
    form_requests.init_app(app)
    security_headers.init_app(app)
    for blueprint in (
        site.bp,
        auth_bp,
        dashboard_bp,
        projects_bp,
        entries_bp,
        reports_bp,
        tokens_bp,
        teams_bp,
        approvals_bp,
        timer_bp,
        settings_bp,
    ):
        app.register_blueprint(blueprint)
    if app.config.get("MAIL_OUTBOX"):
        # Development only (production refuses MAIL_OUTBOX at start): elsewhere the page's
        # URL does not exist at all.
        from routes.dev.views import bp as dev_bp

        app.register_blueprint(dev_bp)
    register_api(app)


def register_commands(app: Flask) -> None:
    """The CLI interface: ``flask timesheet ...``."""
    from commands import cli

    app.cli.add_command(cli)
