"""rules drafts

Written by hand. Table scheme_draft (webapp/points/models/drafts.py): the committee's edits to a scheme
as a whole rules file (YAML), replayed by the what-if and imported as the next version once adopted.

Revision ID: b2f6a1d3e0c2
Revises: a1e5f0c2d9b1
Create Date: 2026-12-03 06:12:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2f6a1d3e0c2'
down_revision = 'a1e5f0c2d9b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheme_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('adopted_version_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['scheme.id'], name=op.f('fk_scheme_draft_scheme_id_scheme')),
    sa.ForeignKeyConstraint(['base_version_id'], ['scheme_version.id'], name=op.f('fk_scheme_draft_base_version_id_scheme_version')),
    sa.ForeignKeyConstraint(['adopted_version_id'], ['scheme_version.id'], name=op.f('fk_scheme_draft_adopted_version_id_scheme_version')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_scheme_draft_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_draft'))
    )
    with op.batch_alter_table('scheme_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_draft_scheme_id'), ['scheme_id'], unique=False)


def downgrade():
    with op.batch_alter_table('scheme_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheme_draft_scheme_id'))
    op.drop_table('scheme_draft')
