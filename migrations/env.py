"""Alembic environment, run by ``flask db ...`` inside the app built by ``create_app()``.

The metadata comes from the app's ``db``, which the factory filled by importing ``models`` (every
model, re-exported): autogenerate and ``flask db check`` always see the whole schema.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None:
    # Keep loggers that exist already (the app's, pytest's): fileConfig disables them by default.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_ext = current_app.extensions["migrate"]
target_metadata = migrate_ext.db.metadata


def render_item(type_, obj, autogen_context):
    """Write the app's column types as plain SQLAlchemy types, so that a revision never imports
    application code (which keeps changing after the revision is written)."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def skip_empty_autogenerate(context_, revision, directives):
    """``flask db migrate`` with no model change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    context.configure(
        url=migrate_ext.db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        render_item=render_item,
        **{
            k: v
            for k, v in migrate_ext.configure_args.items()
            if k != "process_revision_directives"
        },
    )
    with context.begin_transaction():
        context.run_migrations()


def set_sqlite_foreign_keys(connection, enabled: bool) -> None:
    """``PRAGMA foreign_keys`` does nothing inside a transaction, and SQLAlchemy would open one
    (the app's engines begin every transaction themselves: ``wiring/sqlite.py``). So any open
    transaction is ended and the PRAGMA goes straight to the driver, in autocommit."""
    if connection.in_transaction():
        connection.commit()
    value = "ON" if enabled else "OFF"
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={value}")


def sqlite_foreign_keys_are_on(connection) -> bool:
    return connection.connection.driver_connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def check_foreign_keys(connection) -> None:
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    connection.commit()
    if violations:
        raise RuntimeError(f"the migration left rows that break foreign keys: {violations[:5]}")


def restore_sqlite_foreign_keys(connection) -> None:
    """Foreign keys back on, whatever happened; a connection that cannot be put back in that
    state is discarded (invalidated), never returned to the pool with them off."""
    try:
        if connection.in_transaction():
            connection.rollback()
        set_sqlite_foreign_keys(connection, enabled=True)
        if sqlite_foreign_keys_are_on(connection):
            return
    except Exception:  # the migration's own error, if any, is the one raised
        logger.exception("could not turn SQLite foreign keys back on")
    connection.invalidate()


def run_migrations_online() -> None:
    """Batch mode rebuilds a SQLite table (copy, drop, rename). With foreign keys on, dropping
    the old parent table fires ON DELETE CASCADE and silently empties its child tables, so they
    are off while migrations run, checked afterwards, and turned back on in a ``finally``: the
    connection goes back to the pool the app keeps using."""
    args = dict(migrate_ext.configure_args)
    args.setdefault("process_revision_directives", skip_empty_autogenerate)
    args.setdefault("render_item", render_item)
    with migrate_ext.db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            set_sqlite_foreign_keys(connection, enabled=False)
        try:
            context.configure(connection=connection, target_metadata=target_metadata, **args)
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                check_foreign_keys(connection)
        finally:
            if sqlite:
                restore_sqlite_foreign_keys(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
