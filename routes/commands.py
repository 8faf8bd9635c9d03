"""``flask timesheet ...`` commands: maintenance from the terminal."""

from __future__ import annotations

import click
from flask.cli import AppGroup

cli = AppGroup("timesheet", help="Timesheet maintenance commands.")


@cli.command("check-config")
def check_config() -> None:
    """Print the settings that decide where data goes (never secrets)."""
    from flask import current_app

    from extensions import db

    click.echo(f"database: {db.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"instance folder: {current_app.instance_path}")
