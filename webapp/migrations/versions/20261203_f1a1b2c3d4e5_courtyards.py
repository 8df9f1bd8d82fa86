"""courtyard star ratings

Written by hand. (Placeholder: filled in by the work on courtyard ratings.)

Revision ID: f1a1b2c3d4e5
Revises: e3c4d5e6f7b8
Create Date: 2026-12-03 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a1b2c3d4e5'
down_revision = 'e3c4d5e6f7b8'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
