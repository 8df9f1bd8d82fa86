"""the case library

Written by hand. Tables typical_case and typical_case_photo (webapp/town/models/cases.py): a village's
case (典型案例) with the list or points item it concerns, its state and the town's note, and its photos.

Revision ID: f4d4e5f6a7b8
Revises: f3c3d4e5f6a7
Create Date: 2026-12-03 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4d4e5f6a7b8'
down_revision = 'f3c3d4e5f6a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('typical_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('list_item_id', sa.Integer(), nullable=True),
    sa.Column('points_item_code', sa.String(length=32), nullable=False),
    sa.Column('town_note', sa.Text(), nullable=False),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user.id'], name=op.f('fk_typical_case_approved_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_typical_case_created_by_id_user')),
    sa.ForeignKeyConstraint(['list_item_id'], ['list_item.id'], name=op.f('fk_typical_case_list_item_id_list_item')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_typical_case_town_id_town')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_typical_case_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_typical_case'))
    )
    with op.batch_alter_table('typical_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_typical_case_town_id'), ['town_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_typical_case_village_id'), ['village_id'], unique=False)

    op.create_table('typical_case_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['typical_case.id'], name=op.f('fk_typical_case_photo_case_id_typical_case')),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_typical_case_photo_photo_id_photo')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_typical_case_photo')),
    sa.UniqueConstraint('case_id', 'photo_id', name=op.f('uq_typical_case_photo_case_id_photo_id'))
    )
    with op.batch_alter_table('typical_case_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_typical_case_photo_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_typical_case_photo_photo_id'), ['photo_id'], unique=False)


def downgrade():
    with op.batch_alter_table('typical_case_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_typical_case_photo_photo_id'))
        batch_op.drop_index(batch_op.f('ix_typical_case_photo_case_id'))

    op.drop_table('typical_case_photo')
    with op.batch_alter_table('typical_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_typical_case_village_id'))
        batch_op.drop_index(batch_op.f('ix_typical_case_town_id'))

    op.drop_table('typical_case')
