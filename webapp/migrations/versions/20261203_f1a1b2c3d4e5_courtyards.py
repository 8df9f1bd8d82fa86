"""courtyard star ratings

Written by hand. New tables courtyard_round (a village's rating round for a year) and
courtyard_rating (a household's stars in a round, its photo and its review; append-only),
webapp/courtyards.

Revision ID: f1a1b2c3d4e5
Revises: e3c4d5e6f7b8
Create Date: 2026-12-03 02:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f1a1b2c3d4e5'
down_revision = 'e3c4d5e6f7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('courtyard_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_courtyard_round_opened_by_id_user')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_courtyard_round_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courtyard_round'))
    )
    with op.batch_alter_table('courtyard_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courtyard_round_village_id'), ['village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_courtyard_round_year'), ['year'], unique=False)

    op.create_table('courtyard_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('rated_by_id', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_courtyard_rating_household_id_household')),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_courtyard_rating_photo_id_photo')),
    sa.ForeignKeyConstraint(['rated_by_id'], ['user.id'], name=op.f('fk_courtyard_rating_rated_by_id_user')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_courtyard_rating_reviewed_by_id_user')),
    sa.ForeignKeyConstraint(['round_id'], ['courtyard_round.id'], name=op.f('fk_courtyard_rating_round_id_courtyard_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courtyard_rating'))
    )
    with op.batch_alter_table('courtyard_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courtyard_rating_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_courtyard_rating_photo_id'), ['photo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_courtyard_rating_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_courtyard_rating_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('courtyard_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courtyard_rating_status'))
        batch_op.drop_index(batch_op.f('ix_courtyard_rating_round_id'))
        batch_op.drop_index(batch_op.f('ix_courtyard_rating_photo_id'))
        batch_op.drop_index(batch_op.f('ix_courtyard_rating_household_id'))

    op.drop_table('courtyard_rating')
    with op.batch_alter_table('courtyard_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courtyard_round_year'))
        batch_op.drop_index(batch_op.f('ix_courtyard_round_village_id'))

    op.drop_table('courtyard_round')
