"""Worker heartbeats: when each Celery worker last ran a task (read by /readyz).

A new table with no rows to carry over: autogenerate's output, reviewed.

Revision ID: 5e1f0a7c3d21
Revises: d41c7e2a9f10
Create Date: 2026-11-22 17:55:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "5e1f0a7c3d21"
down_revision = "d41c7e2a9f10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_heartbeats",
        sa.Column("worker", sa.String(length=255), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker", name=op.f("pk_worker_heartbeats")),
    )


def downgrade() -> None:
    op.drop_table("worker_heartbeats")
