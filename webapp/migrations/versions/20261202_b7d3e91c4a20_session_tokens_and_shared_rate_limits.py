"""session tokens and shared rate limits

Written by hand. user.session_token: every session and remember-me cookie now
carries "<id>:<token>" and the user loader checks it, so replacing the token
ends all of a user's sessions (logout, password change, deactivation, a revoked
device). Existing users get a random token each, which ends the sessions open
at upgrade: everyone logs in again once. New table rate_limit: the login
throttle's fixed-window counters, shared by every worker process
(webapp/web/rate_limit_storage.py).

Revision ID: b7d3e91c4a20
Revises: 5630f0657ad5
Create Date: 2026-12-02 18:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d3e91c4a20'
down_revision = '5630f0657ad5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))

    user = sa.table('user', sa.column('id', sa.Integer()), sa.column('session_token', sa.String(32)))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(user.c.id)).all():
        conn.execute(user.update().where(user.c.id == user_id).values(session_token=secrets.token_hex(16)))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=32), nullable=False)

    op.create_table('rate_limit',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit'))
    )


def downgrade():
    op.drop_table('rate_limit')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_token')
