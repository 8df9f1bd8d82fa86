"""review meetings, and what an adjustment proposes

Written by hand. Tables review_meeting and review_meeting_member (webapp/review/models.py): a review
group's meeting (经全体评议小组成员会议研究核实), its day, note and members present. Columns of
review_decision: meeting_id (the meeting a decision was taken in), quantity and findings (what an
adjustment proposes, applied once the entry has all its approvals).

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
    op.create_table('review_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_review_meeting_created_by_id_user')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_review_meeting_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_meeting'))
    )
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_meeting_village_id'), ['village_id'], unique=False)

    op.create_table('review_meeting_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meeting.id'],
                            name=op.f('fk_review_meeting_member_meeting_id_review_meeting')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_review_meeting_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_meeting_member')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_review_meeting_member_meeting_id_user_id'))
    )
    with op.batch_alter_table('review_meeting_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_meeting_member_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quantity', sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column('findings', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_review_decision_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_review_decision_meeting_id_review_meeting'), 'review_meeting',
                                    ['meeting_id'], ['id'])


def downgrade():
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_decision_meeting_id_review_meeting'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_review_decision_meeting_id'))
        batch_op.drop_column('meeting_id')
        batch_op.drop_column('findings')
        batch_op.drop_column('quantity')

    with op.batch_alter_table('review_meeting_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_meeting_member_meeting_id'))

    op.drop_table('review_meeting_member')
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_meeting_village_id'))

    op.drop_table('review_meeting')
