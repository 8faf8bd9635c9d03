"""Personal settings on users: first day of the week, 12/24 h clock, time zone chosen or not.

Produced by ``flask db migrate``, reviewed by hand: booleans default to ``sa.true()`` /
``sa.false()`` (autogenerate on SQLite wrote ``sa.text('1')``, which PostgreSQL refuses); every
new column is NOT NULL with a server default, so existing rows are filled by the database (a
Monday week, a 24 h clock, and the browser's zone offered once); the weekday range is a named
check constraint.

Revision ID: d23b7738d441
Revises: 4506c02a3257
Create Date: 2026-11-22 18:18:19.049519
"""

import sqlalchemy as sa
from alembic import op

revision = "d23b7738d441"
down_revision = "4506c02a3257"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("timezone_chosen", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("week_start", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("clock_24h", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.create_check_constraint(
            "ck_users_week_start_is_a_weekday", sa.text("week_start BETWEEN 0 AND 6")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint("ck_users_week_start_is_a_weekday", type_="check")
        batch_op.drop_column("clock_24h")
        batch_op.drop_column("week_start")
        batch_op.drop_column("timezone_chosen")
