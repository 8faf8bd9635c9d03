"""users.email_confirmed_at: sign-up confirms the address before the account can log in.

Reviewed by hand. The column is nullable (None means "not confirmed yet"). Every account that
exists before this revision was made when sign-up activated at once, and its owner has been
using it: the upgrade marks them confirmed, at the time the account was created. Without that
step every existing user would be locked out until they reset their password.

The downgrade drops the column: accounts still waiting for confirmation could then log in
with the password given at sign-up, as they could before this revision.

Revision ID: d41c7e2a9f10
Revises: 5e1f0c2a9d47
Create Date: 2026-11-22 17:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "d41c7e2a9f10"
down_revision = "5e1f0c2a9d47"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )
    users = sa.table(
        "users",
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("email_confirmed_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        users.update()
        .where(users.c.email_confirmed_at.is_(None))
        .values(email_confirmed_at=users.c.created_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("email_confirmed_at")
