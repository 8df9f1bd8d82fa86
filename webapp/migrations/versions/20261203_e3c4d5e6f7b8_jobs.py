"""jobs outside the request

Written by hand. (Placeholder: filled in by the work on jobs.)

Revision ID: e3c4d5e6f7b8
Revises: d2b3c4e5f6a7
Create Date: 2026-12-03 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3c4d5e6f7b8'
down_revision = 'd2b3c4e5f6a7'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
