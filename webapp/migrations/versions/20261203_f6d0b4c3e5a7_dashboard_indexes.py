"""dashboard indexes

Written by hand (issue 16, county scale), for the town's dashboard and the homes:
- ix_entry_waiting, ix_inspection_waiting: the entries and inspections waiting for review, as partial
  indexes (only rows whose status is 'recorded'), so the "waiting for review" counts read the waiting
  rows of the open months and a closed month's late ones, never a village's reviewed history;
- ix_entry_village_day: a village's entries by day, covering the dashboard's search for each grid's
  last entry of a fortnight (it read the fortnight's rows from the table);
- ix_inspection_village_period: a village's inspections of a period, covering the dashboard's
  "inspected" count (the village_id index alone read every period of the village's history).

Revision ID: f6d0b4c3e5a7
Revises: e5c9a3b2d4f6
Create Date: 2026-12-03 12:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f6d0b4c3e5a7'
down_revision = 'e5c9a3b2d4f6'
branch_labels = None
depends_on = None

WAITING = sa.text("status = 'recorded'")


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.create_index('ix_entry_village_day', ['village_id', 'occurred_on', 'household_id'], unique=False)
        batch_op.create_index('ix_entry_waiting', ['village_id', 'occurred_month'], unique=False,
                              sqlite_where=WAITING, postgresql_where=WAITING)
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_village_period', ['village_id', 'period', 'status', 'household_id'],
                              unique=False)
        batch_op.create_index('ix_inspection_waiting', ['village_id', 'period'], unique=False,
                              sqlite_where=WAITING, postgresql_where=WAITING)


def downgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_waiting')
        batch_op.drop_index('ix_inspection_village_period')
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_waiting')
        batch_op.drop_index('ix_entry_village_day')
