"""review, publication and objections

Reviewed by hand. New tables: review groups with members and areas, each
reviewer's decision, publications (a closed period's frozen ranking, the public
snapshot and its hash), the committee's picks and photos, objections.
Existing tables gain columns only: entry.publication_id; inspection.flags,
revision, corrects_inspection_id and publication_id. Existing inspections become
revision 0 with no flags (server defaults fill the new NOT NULL columns), and
the unique (household, period) becomes unique (household, period, revision), so
a correction is a new revision rather than an edit. Downgrading fails once a
correction revision exists, which is right: it would lose it.

Revision ID: 5630f0657ad5
Revises: ea44923164e6
Create Date: 2026-11-30 00:57:39.347398

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5630f0657ad5'
down_revision = 'ea44923164e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('frozen', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('notice_starts_on', sa.Date(), nullable=True),
    sa.Column('notice_ends_on', sa.Date(), nullable=True),
    sa.Column('snapshot', sa.Text(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('finalised_at', sa.DateTime(), nullable=True),
    sa.Column('finalised_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_publication_closed_by_id_user')),
    sa.ForeignKeyConstraint(['finalised_by_id'], ['user.id'], name=op.f('fk_publication_finalised_by_id_user')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_publication_published_by_id_user')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_publication_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication')),
    sa.UniqueConstraint('sha256', name=op.f('uq_publication_sha256')),
    sa.UniqueConstraint('village_id', 'period', name=op.f('uq_publication_village_id_period'))
    )
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_village_id'), ['village_id'], unique=False)

    op.create_table('review_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('reviews_group_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reviews_group_id'], ['review_group.id'], name=op.f('fk_review_group_reviews_group_id_review_group')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_review_group_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_group')),
    sa.UniqueConstraint('village_id', 'name', name=op.f('uq_review_group_village_id_name'))
    )
    with op.batch_alter_table('review_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_group_village_id'), ['village_id'], unique=False)

    op.create_table('publication_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_publication_photo_photo_id_photo')),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_photo_publication_id_publication')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_photo')),
    sa.UniqueConstraint('publication_id', 'photo_id', name=op.f('uq_publication_photo_publication_id_photo_id'))
    )
    with op.batch_alter_table('publication_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_photo_publication_id'), ['publication_id'], unique=False)

    op.create_table('review_group_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('village_group_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(grid_id IS NULL) <> (village_group_id IS NULL)', name=op.f('ck_review_group_area_ck_area_one_kind')),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_review_group_area_grid_id_grid')),
    sa.ForeignKeyConstraint(['group_id'], ['review_group.id'], name=op.f('fk_review_group_area_group_id_review_group')),
    sa.ForeignKeyConstraint(['village_group_id'], ['village_group.id'], name=op.f('fk_review_group_area_village_group_id_village_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_group_area'))
    )
    with op.batch_alter_table('review_group_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_group_area_group_id'), ['group_id'], unique=False)

    op.create_table('review_group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['review_group.id'], name=op.f('fk_review_group_member_group_id_review_group')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_review_group_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_group_member')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_review_group_member_group_id_user_id'))
    )
    with op.batch_alter_table('review_group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_group_member_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_group_member_user_id'), ['user_id'], unique=False)

    op.create_table('publication_pick',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_publication_pick_household_id_household')),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_pick_publication_id_publication')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_pick')),
    sa.UniqueConstraint('publication_id', 'kind', 'household_id', name=op.f('uq_publication_pick_publication_id_kind_household_id'))
    )
    with op.batch_alter_table('publication_pick', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_pick_publication_id'), ['publication_id'], unique=False)

    op.create_table('objection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('correction_entry_id', sa.Integer(), nullable=True),
    sa.Column('correction_inspection_id', sa.Integer(), nullable=True),
    sa.Column('listed_in_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_objection_answered_by_id_user')),
    sa.ForeignKeyConstraint(['correction_entry_id'], ['entry.id'], name=op.f('fk_objection_correction_entry_id_entry')),
    sa.ForeignKeyConstraint(['correction_inspection_id'], ['inspection.id'], name=op.f('fk_objection_correction_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['user.id'], name=op.f('fk_objection_filed_by_id_user')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_objection_household_id_household')),
    sa.ForeignKeyConstraint(['listed_in_id'], ['publication.id'], name=op.f('fk_objection_listed_in_id_publication')),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_objection_photo_id_photo')),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_objection_publication_id_publication')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objection'))
    )
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objection_filed_by_id'), ['filed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objection_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objection_publication_id'), ['publication_id'], unique=False)

    op.create_table('review_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('correction_entry_id', sa.Integer(), nullable=True),
    sa.Column('correction_inspection_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['correction_entry_id'], ['entry.id'], name=op.f('fk_review_decision_correction_entry_id_entry')),
    sa.ForeignKeyConstraint(['correction_inspection_id'], ['inspection.id'], name=op.f('fk_review_decision_correction_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_review_decision_entry_id_entry')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_review_decision_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], name=op.f('fk_review_decision_reviewer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decision'))
    )
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.create_index('ix_review_decision_entry', ['entry_id', 'reviewer_id'], unique=False)
        batch_op.create_index('ix_review_decision_inspection', ['inspection_id', 'reviewer_id'], unique=False)

    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publication_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_entry_corrects_entry_id'), ['corrects_entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entry_publication_id'), ['publication_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_entry_publication_id_publication'), 'publication', ['publication_id'], ['id'])

    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flags', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default=sa.text('0')))
        batch_op.add_column(sa.Column('corrects_inspection_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('publication_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_inspection_household_id_period'), type_='unique')
        batch_op.create_index(batch_op.f('ix_inspection_publication_id'), ['publication_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_inspection_household_id_period_revision'), ['household_id', 'period', 'revision'])
        batch_op.create_foreign_key(batch_op.f('fk_inspection_publication_id_publication'), 'publication', ['publication_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_inspection_corrects_inspection_id_inspection'), 'inspection', ['corrects_inspection_id'], ['id'])
    # The server defaults only filled existing rows; like every other column, new rows get theirs from the models.
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.alter_column('flags', server_default=None)
        batch_op.alter_column('revision', server_default=None)



def downgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inspection_corrects_inspection_id_inspection'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_inspection_publication_id_publication'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_inspection_household_id_period_revision'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_inspection_publication_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_inspection_household_id_period'), ['household_id', 'period'])
        batch_op.drop_column('publication_id')
        batch_op.drop_column('corrects_inspection_id')
        batch_op.drop_column('revision')
        batch_op.drop_column('flags')

    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_entry_publication_id_publication'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_entry_publication_id'))
        batch_op.drop_index(batch_op.f('ix_entry_corrects_entry_id'))
        batch_op.drop_column('publication_id')

    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_review_decision_inspection')
        batch_op.drop_index('ix_review_decision_entry')

    op.drop_table('review_decision')
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objection_publication_id'))
        batch_op.drop_index(batch_op.f('ix_objection_household_id'))
        batch_op.drop_index(batch_op.f('ix_objection_filed_by_id'))

    op.drop_table('objection')
    with op.batch_alter_table('publication_pick', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_pick_publication_id'))

    op.drop_table('publication_pick')
    with op.batch_alter_table('review_group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_group_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_review_group_member_group_id'))

    op.drop_table('review_group_member')
    with op.batch_alter_table('review_group_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_group_area_group_id'))

    op.drop_table('review_group_area')
    with op.batch_alter_table('publication_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_photo_publication_id'))

    op.drop_table('publication_photo')
    with op.batch_alter_table('review_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_group_village_id'))

    op.drop_table('review_group')
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_village_id'))

    op.drop_table('publication')
