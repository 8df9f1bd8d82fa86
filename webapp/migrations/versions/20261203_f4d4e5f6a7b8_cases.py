"""the case library

Written by hand. (Placeholder: filled in by the work on the case library.)

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
    pass


def downgrade():
    pass
