"""Project and task names unique whatever their case: a name_key column under the constraints.

Autogenerate wrote ``add_column(name_key, nullable=False)`` with no default, which fails on any
table that already has rows. Reviewed by hand: add the column nullable, fill it from the existing
names, then make it NOT NULL and move the unique constraints onto it. The key is computed here with
the same rule as ``models.columns.name_key``, written out again on purpose: a revision must keep
doing what it did when it was written, whatever the application code becomes.

The app never accepted two names differing only in case, so existing rows fit the new
constraints; should a past race have stored such a pair, the upgrade stops on the constraint and
the pair needs a rename first.

Revision ID: b2d5098ea6a2
Revises: c0f2b6e6e285
Create Date: 2026-11-22 05:16:57.933876
"""

import sqlalchemy as sa
from alembic import op

revision = "b2d5098ea6a2"
down_revision = "c0f2b6e6e285"
branch_labels = None
depends_on = None

# table -> (the column the names are unique within, old constraint, new constraint)
TABLES = {
    "projects": ("owner_id", "uq_projects_owner_id_name", "uq_projects_owner_id_name_key"),
    "tasks": ("project_id", "uq_tasks_project_id_name", "uq_tasks_project_id_name_key"),
}


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def fill_name_keys(table_name: str) -> None:
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("name", sa.String),
                     sa.column("name_key", sa.String))
    connection = op.get_bind()
    for row_id, name in connection.execute(sa.select(table.c.id, table.c.name)).all():
        connection.execute(
            table.update().where(table.c.id == row_id).values(name_key=name_key(name))
        )


def upgrade() -> None:
    for table_name, (parent, old, new) in TABLES.items():
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.add_column(sa.Column("name_key", sa.String(length=300), nullable=True))
        fill_name_keys(table_name)
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.alter_column("name_key", existing_type=sa.String(length=300), nullable=False)
            batch_op.drop_constraint(old, type_="unique")
            batch_op.create_unique_constraint(new, [parent, "name_key"])


def downgrade() -> None:
    for table_name, (parent, old, new) in TABLES.items():
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.drop_constraint(new, type_="unique")
            batch_op.create_unique_constraint(old, [parent, "name"])
            batch_op.drop_column("name_key")
