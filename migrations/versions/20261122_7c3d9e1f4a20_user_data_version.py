"""Users: data_version, bumped by every write to what the user's week shows.

The week view's rendered body is cached per (user, data_version); a write to an entry, task or
project bumps the version of every user whose week shows it (services/platform/data_version.py),
so a cached body is never served after a write. Existing rows start at 0; batch mode for SQLite.

Revision ID: 7c3d9e1f4a20
Revises: 34261e1d0ec0
Create Date: 2026-11-22 18:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "7c3d9e1f4a20"
down_revision = "34261e1d0ec0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("data_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("data_version")
