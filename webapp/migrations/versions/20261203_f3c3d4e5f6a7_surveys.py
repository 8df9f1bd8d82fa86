"""satisfaction surveys

Written by hand. (Placeholder: filled in by the work on satisfaction surveys.)

Revision ID: f3c3d4e5f6a7
Revises: f2b2c3d4e5f6
Create Date: 2026-12-03 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3c3d4e5f6a7'
down_revision = 'f2b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
