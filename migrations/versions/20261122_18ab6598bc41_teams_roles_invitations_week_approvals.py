"""Teams: teams, memberships with roles, invitations, week approvals; projects move to teams.

Autogenerate wrote ``add_column(projects.team_id, nullable=False)`` and ``drop_column(owner_id)``
one after the other: on a database with projects that fails, and had it not, it would have thrown
away who owned what. Reviewed by hand so the data moves:

- every existing user gets a personal team named after them, with themselves as its owner, and
  it becomes their current team;
- ``projects.team_id`` is added nullable, filled with the owner's personal team, then made
  NOT NULL; only then is ``owner_id`` dropped. Tasks, time entries and reports are not touched.

Downgrade returns to the old shape where it can: a project goes back to the first owner of its
team. What cannot come back: teams, memberships, invitations and week approvals are dropped (so
members lose access to projects they did not own, while their entries stay on those tasks), and
a team report becomes a plain report of the user who asked for it. It stops with a clear error
when one user would own two projects of the same name (two teams of theirs using one name).

Revision ID: 18ab6598bc41
Revises: 71729cff1d99
Create Date: 2026-11-22 17:29:19.207572
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '18ab6598bc41'
down_revision = '71729cff1d99'
branch_labels = None
depends_on = None

# Lightweight tables: the columns this revision reads and writes, as they are at this revision.
users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("current_team_id", sa.Integer),
)
teams = sa.table(
    "teams",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
memberships = sa.table(
    "memberships",
    sa.column("id", sa.Integer),
    sa.column("team_id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("left_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
projects = sa.table(
    "projects",
    sa.column("id", sa.Integer),
    sa.column("owner_id", sa.Integer),
    sa.column("team_id", sa.Integer),
    sa.column("name_key", sa.String),
)
TEAM_NAME_LENGTH = 100


def now_for(connection) -> datetime:
    """Now in UTC, stored the way the app stores it: naive on SQLite, aware elsewhere."""
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if connection.dialect.name == "sqlite" else now


def personal_team_name(user_name: str) -> str:
    return f"{user_name}’s team"[:TEAM_NAME_LENGTH]


def give_every_user_a_personal_team() -> None:
    connection = op.get_bind()
    now = now_for(connection)
    for user_id, user_name in connection.execute(sa.select(users.c.id, users.c.name).order_by(users.c.id)).all():
        team_id = connection.execute(
            teams.insert()
            .values(name=personal_team_name(user_name), created_at=now, updated_at=now)
            .returning(teams.c.id)
        ).scalar_one()
        connection.execute(
            memberships.insert().values(
                team_id=team_id, user_id=user_id, role="owner", created_at=now, updated_at=now
            )
        )
        connection.execute(users.update().where(users.c.id == user_id).values(current_team_id=team_id))
        connection.execute(projects.update().where(projects.c.owner_id == user_id).values(team_id=team_id))


def first_owner_of_team(team_id_column):
    return (
        sa.select(memberships.c.user_id)
        .where(
            memberships.c.team_id == team_id_column,
            memberships.c.role == "owner",
            memberships.c.left_at.is_(None),
        )
        .order_by(memberships.c.id)
        .limit(1)
        .scalar_subquery()
    )


def refuse_a_downgrade_that_would_lose_data() -> None:
    """Checked before anything changes (SQLite runs DDL outside a transaction, so a failure
    half-way would leave a half-downgraded database)."""
    connection = op.get_bind()
    owner = first_owner_of_team(projects.c.team_id).label("owner")
    per_owner = sa.select(owner, projects.c.name_key).subquery()
    clash = connection.execute(
        sa.select(per_owner.c.owner, per_owner.c.name_key)
        .group_by(per_owner.c.owner, per_owner.c.name_key)
        .having(sa.func.count() > 1)
        .limit(1)
    ).first()
    if clash is not None:
        raise RuntimeError(
            f"cannot downgrade: user {clash[0]} would own two projects named {clash[1]!r} "
            "(from two of their teams); rename one first"
        )
    orphan = connection.execute(
        sa.select(projects.c.id).where(first_owner_of_team(projects.c.team_id).is_(None)).limit(1)
    ).first()
    if orphan is not None:
        raise RuntimeError(f"cannot downgrade: project {orphan[0]}'s team has no owner to take it")


def give_projects_back_to_team_owners() -> None:
    op.get_bind().execute(projects.update().values(owner_id=first_owner_of_team(projects.c.team_id)))


def upgrade() -> None:
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('lock_after_days', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('lock_after_days IS NULL OR lock_after_days >= 0', name=op.f('ck_teams_grace_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams'))
    )
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('member', 'manager', 'admin', 'owner')", name=op.f('ck_invitations_known_role')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_invitations_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_team_id'), ['team_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('member', 'manager', 'admin', 'owner')", name=op.f('ck_memberships_known_role')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_memberships_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('team_id', 'user_id', name=op.f('uq_memberships_team_id_user_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_user_id', ['user_id'], unique=False)

    op.create_table('week_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('submitted', 'approved', 'rejected', 'reopened')", name=op.f('ck_week_approvals_known_status')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_week_approvals_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_week_approvals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_week_approvals')),
    sa.UniqueConstraint('team_id', 'user_id', 'week_start', name=op.f('uq_week_approvals_team_id_user_id_week_start'))
    )
    with op.batch_alter_table('week_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_week_approvals_user_id'), ['user_id'], unique=False)

    op.create_table('week_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('submitted', 'approved', 'rejected', 'reopened')", name=op.f('ck_week_events_known_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_week_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['approval_id'], ['week_approvals.id'], name=op.f('fk_week_events_approval_id_week_approvals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_week_events'))
    )
    with op.batch_alter_table('week_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_week_events_approval_id'), ['approval_id'], unique=False)

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('project_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reports_project_id_projects'), 'projects', ['project_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_reports_person_id_users'), 'users', ['person_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_reports_team_id_teams'), 'teams', ['team_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_team_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_current_team_id_teams'), 'teams', ['current_team_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))

    give_every_user_a_personal_team()

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.alter_column('team_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_projects_owner_id_name_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_projects_team_id_name_key'), ['team_id', 'name_key'])
        batch_op.drop_constraint(batch_op.f('fk_projects_owner_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_projects_team_id_teams'), 'teams', ['team_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_column('owner_id')



def downgrade() -> None:
    refuse_a_downgrade_that_would_lose_data()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_current_team_id_teams'), type_='foreignkey')
        batch_op.drop_column('current_team_id')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_team_id_teams'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reports_person_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reports_project_id_projects'), type_='foreignkey')
        batch_op.drop_column('project_id')
        batch_op.drop_column('person_id')
        batch_op.drop_column('team_id')

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))

    give_projects_back_to_team_owners()

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.alter_column('owner_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_projects_team_id_teams'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_projects_owner_id_users'), 'users', ['owner_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('uq_projects_team_id_name_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_projects_owner_id_name_key'), ['owner_id', 'name_key'])
        batch_op.drop_column('team_id')

    with op.batch_alter_table('week_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_week_events_approval_id'))

    op.drop_table('week_events')
    with op.batch_alter_table('week_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_week_approvals_user_id'))

    op.drop_table('week_approvals')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_user_id')

    op.drop_table('memberships')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_team_id'))

    op.drop_table('invitations')
    op.drop_table('teams')
