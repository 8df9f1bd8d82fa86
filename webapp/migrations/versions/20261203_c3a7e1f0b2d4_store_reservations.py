"""store reservations

Written by hand: reservations of goods for the redemption day (预约兑换, 待领取 → 已领取).

Revision ID: c3a7e1f0b2d4
Revises: b2f6a1d3e0c2
Create Date: 2026-12-03 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a7e1f0b2d4'
down_revision = 'b2f6a1d3e0c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reservation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('pickup_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('total_points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('redemption_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('total_points > 0', name=op.f('ck_reservation_total_positive')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_reservation_closed_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_reservation_created_by_id_user')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_reservation_household_id_household')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_reservation_redemption_id_redemption')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_reservation_store_id_store')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_reservation_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reservation')),
    sa.UniqueConstraint('key', name=op.f('uq_reservation_key')),
    sa.UniqueConstraint('redemption_id', name=op.f('uq_reservation_redemption_id'))
    )
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.create_index('ix_reservation_household_status', ['household_id', 'status'], unique=False)
        batch_op.create_index('ix_reservation_store_status', ['store_id', 'status'], unique=False)

    op.create_table('reservation_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reservation_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_reservation_line_quantity_positive')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_reservation_line_product_id_product')),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id'], name=op.f('fk_reservation_line_reservation_id_reservation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reservation_line'))
    )
    with op.batch_alter_table('reservation_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reservation_line_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reservation_line_reservation_id'), ['reservation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reservation_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reservation_line_reservation_id'))
        batch_op.drop_index(batch_op.f('ix_reservation_line_product_id'))

    op.drop_table('reservation_line')
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.drop_index('ix_reservation_store_status')
        batch_op.drop_index('ix_reservation_household_status')

    op.drop_table('reservation')
