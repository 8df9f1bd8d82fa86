"""area codes, retired villages and the town setup

Written by hand. (Placeholder: filled in by the work on villages, staff and 包村干部.)

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
    pass


def downgrade():
    pass
