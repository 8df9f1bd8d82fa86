"""review meetings (placeholder: filled with the review meeting tables)

Revision ID: a1e5f0c2d9b1
Revises: f4d4e5f6a7b8
Create Date: 2026-12-03 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1e5f0c2d9b1'
down_revision = 'f4d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
