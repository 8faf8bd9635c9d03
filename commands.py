"""``flask timesheet ...`` commands: maintenance from the terminal."""

from __future__ import annotations

import click
from flask.cli import AppGroup

cli = AppGroup("timesheet", help="Timesheet maintenance commands.")


@cli.command("check-config")
def check_config() -> None:
    """Print the settings that decide where data and mail go (never secrets)."""
    from flask import current_app
    from kombu.utils.url import maybe_sanitize_url

    from extensions import db
    from services.platform import mail

    config = current_app.config
    celery = config["CELERY"]
    click.echo(f"database: {db.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"instance folder: {current_app.instance_path}")
    click.echo(f"broker: {maybe_sanitize_url(str(celery['broker_url']))}")
    click.echo(f"result backend: {maybe_sanitize_url(str(celery['result_backend']))}")
    if mail.backend() == "log":
        redacted = "links redacted" if config.get("MAIL_LOG_REDACT_LINKS") else "links in full"
        click.echo(f"mail: written to the log, not sent ({redacted})")
    else:
        tls = "STARTTLS" if config.get("MAIL_USE_TLS") else "no TLS"
        login = f"login as {config['MAIL_USERNAME']}" if config.get("MAIL_USERNAME") else "no login"
        click.echo(
            f"mail: SMTP {config.get('MAIL_SERVER')}:{config.get('MAIL_PORT')} ({tls}, {login}), "
            f"from {config.get('MAIL_DEFAULT_SENDER')}, delivered by the {config['MAIL_DELIVERY']}"
        )
    proxies = {
        name: config[f"PROXY_FIX_{name}"] for name in ("X_FOR", "X_PROTO", "X_HOST", "X_PORT")
    }
    trusted = ", ".join(f"{name}={count}" for name, count in proxies.items() if count) or "none"
    click.echo(f"trusted proxy headers: {trusted}")


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


@cli.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option(help="Asked for (twice) when not given.")
def create_user(email: str, name: str, password: str) -> None:
    """Create an account from the terminal (the rules of the sign-up form, from the same
    functions: services/accounts/rules.py)."""
    from services.accounts import users as accounts
    from services.accounts.rules import InvalidAccountField

    try:
        # Made by someone with the server in hand: the address counts as confirmed.
        user = accounts.create_account(name, email, password, confirmed=True)
    except InvalidAccountField as error:
        raise click.ClickException(f"{error.field}: {error.message}") from None
    except accounts.EmailTaken:
        raise click.ClickException(f"An account with {email.strip()} exists already.") from None
    click.echo(f"Created {user.email} (id {user.id}).")


@cli.command("delete-unconfirmed")
def delete_unconfirmed() -> None:
    """Delete sign-ups never confirmed for UNCONFIRMED_ACCOUNT_MAX_AGE_DAYS that hold no data
    (what the hourly clean-up of celery beat does)."""
    from flask import current_app

    from services.accounts.cleanup import delete_unconfirmed_accounts

    deleted = delete_unconfirmed_accounts()
    days = current_app.config["UNCONFIRMED_ACCOUNT_MAX_AGE_DAYS"]
    click.echo(f"Deleted {deleted} unconfirmed account(s) older than {days} days.")
