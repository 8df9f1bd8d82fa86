"""member and household dates

Written by hand. member.joined_on / joined_reason (born, moved in) and member.left_on /
left_reason (moved out, deceased): a member who leaves keeps their record, with the date.
household.left_reason: why a household stopped taking part in points from household.left_on.
Existing rows get "" for the reasons; members already inactive keep active = false with no date.

Revision ID: d2b3c4e5f6a7
Revises: c1a2b3d4e5f6
Create Date: 2026-12-03 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2b3c4e5f6a7'
down_revision = 'c1a2b3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joined_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('joined_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('left_reason', sa.String(length=20), nullable=True))
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_reason', sa.String(length=100), nullable=True))

    conn = op.get_bind()
    member = sa.table('member', sa.column('joined_reason', sa.String(20)), sa.column('left_reason', sa.String(20)))
    conn.execute(member.update().values(joined_reason='', left_reason=''))
    household = sa.table('household', sa.column('left_reason', sa.String(100)))
    conn.execute(household.update().values(left_reason=''))

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.alter_column('joined_reason', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('left_reason', existing_type=sa.String(length=20), nullable=False)
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.alter_column('left_reason', existing_type=sa.String(length=100), nullable=False)


def downgrade():
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_column('left_reason')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('left_reason')
        batch_op.drop_column('left_on')
        batch_op.drop_column('joined_reason')
        batch_op.drop_column('joined_on')
