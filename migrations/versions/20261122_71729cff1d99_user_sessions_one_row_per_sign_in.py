"""User sessions: one row per sign-in, so logging out (or "log out everywhere else") is final.

Reviewed by hand: a new table only, nothing existing changes. Cookies issued before this revision
hold the user's session token, which names no row here: everyone signed in is asked to log in
once more after the upgrade (no data is lost). The downgrade drops the table; cookies issued
while it existed then name nothing either, so everyone logs in again too.

Revision ID: 71729cff1d99
Revises: 57932fe11dc2
Create Date: 2026-11-22 17:34:58.354268
"""

import sqlalchemy as sa
from alembic import op

revision = "71729cff1d99"
down_revision = "57932fe11dc2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_user_sessions_key_hash")),
    )
    with op.batch_alter_table("user_sessions") as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("user_sessions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))
    op.drop_table("user_sessions")
