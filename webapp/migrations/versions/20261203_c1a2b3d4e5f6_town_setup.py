"""area codes, retired villages and the town setup

Written by hand. town.area_code and village.area_code: the 12-digit statistical area
code (统计用区划代码), optional, unique. village.retired_on: a retired village keeps its
history but is no longer listed, chosen or scored. user.phone: a staff member's contact
number for the staff pages (existing users get "").

Revision ID: c1a2b3d4e5f6
Revises: b7d3e91c4a20
Create Date: 2026-12-03 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1a2b3d4e5f6'
down_revision = 'b7d3e91c4a20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('town', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_code', sa.String(length=12), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_town_area_code'), ['area_code'])

    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_code', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_village_area_code'), ['area_code'])

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))
    user = sa.table('user', sa.column('phone', sa.String(32)))
    op.get_bind().execute(user.update().values(phone=''))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('phone', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('phone')

    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_village_area_code'), type_='unique')
        batch_op.drop_column('retired_on')
        batch_op.drop_column('area_code')

    with op.batch_alter_table('town', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_town_area_code'), type_='unique')
        batch_op.drop_column('area_code')
