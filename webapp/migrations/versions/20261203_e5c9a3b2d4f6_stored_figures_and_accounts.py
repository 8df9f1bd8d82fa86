"""stored figures and accounts

Written by hand (issue 16, county scale):
- period_figure: each household's figures of a closed period, stored by the close
  (webapp/points/models/figures.py); existing closed periods are filled by `jifen totals store`.
- village_points_version: a village's counter that moves when its counted items or rules change
  (the open ranking's cache key).
- household_account: a household's running account at the store (earned, redeemed, balance), which
  a redemption checks and lowers in its own transaction (webapp/store/models.py). Built on first use.

Revision ID: e5c9a3b2d4f6
Revises: d4b8f2a1c3e5
Create Date: 2026-12-03 12:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5c9a3b2d4f6'
down_revision = 'd4b8f2a1c3e5'
branch_labels = None
depends_on = None

POINTS = sa.Numeric(10, 2)


def upgrade():
    op.create_table(
        'period_figure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('publication_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('first_month', sa.Integer(), nullable=False),
        sa.Column('last_month', sa.Integer(), nullable=False),
        sa.Column('base', POINTS, nullable=False),
        sa.Column('bonus', POINTS, nullable=False),
        sa.Column('deduction', POINTS, nullable=False),
        sa.Column('total', POINTS, nullable=False),
        sa.Column('earned', POINTS, nullable=False),
        sa.Column('points', POINTS, nullable=False),
        sa.Column('cumulative', POINTS, nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('counted', sa.Integer(), nullable=False),
        sa.Column('lines', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_period_figure_household_id_household')),
        sa.ForeignKeyConstraint(['publication_id'], ['publication.id'],
                                name=op.f('fk_period_figure_publication_id_publication')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_period_figure_village_id_village')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_period_figure')),
        sa.UniqueConstraint('publication_id', 'household_id', name=op.f('uq_period_figure_publication_id_household_id')),
    )
    with op.batch_alter_table('period_figure', schema=None) as batch_op:
        batch_op.create_index('ix_period_figure_village_period', ['village_id', 'period', 'household_id'], unique=False)
        batch_op.create_index('ix_period_figure_household', ['household_id', 'first_month'], unique=False)
        batch_op.create_index(batch_op.f('ix_period_figure_publication_id'), ['publication_id'], unique=False)
    op.create_table(
        'village_points_version',
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'],
                                name=op.f('fk_village_points_version_village_id_village')),
        sa.PrimaryKeyConstraint('village_id', name=op.f('pk_village_points_version')),
    )
    op.create_table(
        'household_account',
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('window', sa.String(length=8), nullable=False),
        sa.Column('earned', POINTS, nullable=False),
        sa.Column('redeemed', POINTS, nullable=False),
        sa.Column('balance', POINTS, nullable=False),
        sa.Column('stamp', sa.String(length=120), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('balance = earned - redeemed',
                           name=op.f('ck_household_account_balance_is_earned_less_redeemed')),
        sa.ForeignKeyConstraint(['household_id'], ['household.id'],
                                name=op.f('fk_household_account_household_id_household')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_household_account_village_id_village')),
        sa.PrimaryKeyConstraint('household_id', name=op.f('pk_household_account')),
    )
    with op.batch_alter_table('household_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_account_village_id'), ['village_id'], unique=False)


def downgrade():
    with op.batch_alter_table('household_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_account_village_id'))
    op.drop_table('household_account')
    op.drop_table('village_points_version')
    with op.batch_alter_table('period_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_figure_publication_id'))
        batch_op.drop_index('ix_period_figure_household')
        batch_op.drop_index('ix_period_figure_village_period')
    op.drop_table('period_figure')
