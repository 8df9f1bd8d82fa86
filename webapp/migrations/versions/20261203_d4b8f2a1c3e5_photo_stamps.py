"""photo stamps

Written by hand: evidence photos stamped (水印) with time, place and household on a copy.
A village chooses whether its photos are stamped (village.stamp_photos, on by default: existing
villages get it too); a photo's stamped copy is photo.stamped_sha256 (the original stays).

Revision ID: d4b8f2a1c3e5
Revises: c3a7e1f0b2d4
Create Date: 2026-12-03 08:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4b8f2a1c3e5'
down_revision = 'c3a7e1f0b2d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stamp_photos', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.alter_column('stamp_photos', server_default=None)
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stamped_sha256', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_column('stamped_sha256')
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_column('stamp_photos')
