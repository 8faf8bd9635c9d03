"""``flask db ...`` (Flask-Migrate, on Alembic) without importing either in processes that never
migrate: the ``db`` command group is a stand-in that loads Flask-Migrate's commands when it
runs, and ``app.extensions["migrate"]`` is built on first use (see ``wiring/on_first_use.py``)."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from wiring.on_first_use import on_first_use


def flask_migrate_commands() -> click.Group:
    # flask_migrate's stubs do not cover its cli module: a click group named db.
    from flask_migrate.cli import db as commands  # type: ignore[import-not-found]

    group: click.Group = commands
    return group


class MigrationCommands(click.Group):
    """Stands in for Flask-Migrate's ``db`` group: running it (``flask db upgrade``,
    ``flask db --help``) makes the context of the real group, which then runs as usual."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return flask_migrate_commands().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return flask_migrate_commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return flask_migrate_commands().get_command(ctx, cmd_name)


def register_migrations(app: Flask, db: SQLAlchemy, directory: str) -> None:
    def build() -> Any:
        from flask_migrate import Migrate

        # init_app stores extensions["migrate"] and puts the real command group in place.
        Migrate().init_app(app, db, directory=directory, render_as_batch=True)
        return app.extensions.get("migrate")

    on_first_use(app, "migrate", build)
    app.cli.add_command(
        MigrationCommands("db", help="Perform database migrations (Flask-Migrate)."), "db"
    )
