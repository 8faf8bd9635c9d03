"""Timers, with at most one running per user held by a partial unique index.

Produced by ``flask db migrate``, reviewed by hand: the unique index on ``user_id`` covers only
the running rows (``stopped_at IS NULL``), written for both SQLite and PostgreSQL, so stopped
timers stay as a record while a second running one is refused by the database. A new table: no
existing rows to fill.

Revision ID: 4506c02a3257
Revises: 18ab6598bc41
Create Date: 2026-11-22 17:51:09.627350
"""

import sqlalchemy as sa
from alembic import op

revision = "4506c02a3257"
down_revision = "18ab6598bc41"
branch_labels = None
depends_on = None

RUNNING = "stopped_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "timers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), server_default="", nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_timers_task_id_tasks")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_timers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timers")),
    )
    with op.batch_alter_table("timers") as batch_op:
        batch_op.create_index(
            "ix_timers_one_running_per_user",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text(RUNNING),
            postgresql_where=sa.text(RUNNING),
        )
        batch_op.create_index("ix_timers_task_id", ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("timers") as batch_op:
        batch_op.drop_index("ix_timers_task_id")
        batch_op.drop_index("ix_timers_one_running_per_user")
    op.drop_table("timers")
