"""village evaluation

Written by hand. (Placeholder: filled in by the work on the village evaluation.)

Revision ID: f2b2c3d4e5f6
Revises: f1a1b2c3d4e5
Create Date: 2026-12-03 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b2c3d4e5f6'
down_revision = 'f1a1b2c3d4e5'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
