"""village evaluation

Written by hand. Tables village_evaluation, evaluation_item, evaluation_value and evaluation_result
(webapp/town/models/evaluation.py): a town's evaluation of its villages for a year, its items and
weights, the points the town entered with a note and evidence, and the results frozen at publishing.

Revision ID: f2b2c3d4e5f6
Revises: f1a1b2c3d4e5
Create Date: 2026-12-03 02:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f2b2c3d4e5f6'
down_revision = 'f1a1b2c3d4e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('village_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_village_evaluation_published_by_id_user')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_village_evaluation_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_evaluation')),
    sa.UniqueConstraint('town_id', 'year', name=op.f('uq_village_evaluation_town_id_year'))
    )
    with op.batch_alter_table('village_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_evaluation_town_id'), ['town_id'], unique=False)

    op.create_table('evaluation_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('max_points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('share_weight', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('full_at', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['village_evaluation.id'], name=op.f('fk_evaluation_item_evaluation_id_village_evaluation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_item'))
    )
    with op.batch_alter_table('evaluation_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_item_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('evaluation_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_evaluation_value_entered_by_id_user')),
    sa.ForeignKeyConstraint(['item_id'], ['evaluation_item.id'], name=op.f('fk_evaluation_value_item_id_evaluation_item')),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_evaluation_value_photo_id_photo')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_evaluation_value_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_value')),
    sa.UniqueConstraint('item_id', 'village_id', name=op.f('uq_evaluation_value_item_id_village_id'))
    )
    with op.batch_alter_table('evaluation_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_value_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_value_village_id'), ['village_id'], unique=False)

    op.create_table('evaluation_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('total', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['village_evaluation.id'], name=op.f('fk_evaluation_result_evaluation_id_village_evaluation')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_evaluation_result_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_result')),
    sa.UniqueConstraint('evaluation_id', 'village_id', name=op.f('uq_evaluation_result_evaluation_id_village_id'))
    )
    with op.batch_alter_table('evaluation_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_result_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_result_village_id'), ['village_id'], unique=False)


def downgrade():
    op.drop_table('evaluation_result')
    op.drop_table('evaluation_value')
    op.drop_table('evaluation_item')
    op.drop_table('village_evaluation')
