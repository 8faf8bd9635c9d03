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


@cli.command("seed-demo")
@click.option("--email", default="demo@example.com", show_default=True)
@click.option("--password", default="demo-password", show_default=True)
@click.option("--timezone", "zone", default="Europe/Berlin", show_default=True)
@click.option("--replace", is_flag=True, help="Delete an existing demo user (and all its data).")
def seed_demo(email: str, password: str, zone: str, replace: bool) -> None:
    """Create a demo user with projects, tasks and this week's and last week's time."""
    from services.demo import DemoUserExists
    from services.demo import seed_demo as seed

    try:
        user = seed(email, password, zone, replace=replace)
    except DemoUserExists:
        message = f"{email} exists already; add --replace to start over."
        raise click.ClickException(message) from None
    click.echo(f"Demo user {user.email} (password {password!r}, time zone {zone}) is ready.")
