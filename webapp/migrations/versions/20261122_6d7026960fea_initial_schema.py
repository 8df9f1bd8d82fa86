"""initial schema

Reviewed by hand: tables in dependency order, every constraint named (batch mode on
SQLite needs the names), indexes for the queries that rank a village's month
(a covering index on entry by village and local date) and for earlier months'
year-capped items (entry by village, item and date).

Revision ID: 6d7026960fea
Revises: 
Create Date: 2026-11-22 06:20:01.229253

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d7026960fea'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('town',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_town')),
    sa.UniqueConstraint('code', name=op.f('uq_town_code'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('username', name=op.f('uq_user_username'))
    )
    op.create_table('store',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_store_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store')),
    sa.UniqueConstraint('code', name=op.f('uq_store_code'))
    )
    with op.batch_alter_table('store', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_town_id'), ['town_id'], unique=False)

    op.create_table('village',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_village_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village')),
    sa.UniqueConstraint('code', name=op.f('uq_village_code'))
    )
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_town_id'), ['town_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('object_type', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('device', sa.String(length=100), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_audit_event_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_village_id'), ['village_id'], unique=False)

    op.create_table('grid',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_grid_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid')),
    sa.UniqueConstraint('village_id', 'code', name=op.f('uq_grid_village_id_code'))
    )
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_village_id'), ['village_id'], unique=False)

    op.create_table('scheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_scheme_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme')),
    sa.UniqueConstraint('village_id', 'code', name=op.f('uq_scheme_village_id_code'))
    )
    with op.batch_alter_table('scheme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_village_id'), ['village_id'], unique=False)

    op.create_table('store_village',
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_store_village_store_id_store')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_store_village_village_id_village')),
    sa.PrimaryKeyConstraint('store_id', 'village_id', name=op.f('pk_store_village'))
    )
    op.create_table('village_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_village_group_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_group')),
    sa.UniqueConstraint('village_id', 'code', name=op.f('uq_village_group_village_id_code'))
    )
    with op.batch_alter_table('village_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_village_group_village_id'), ['village_id'], unique=False)

    op.create_table('household',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('head_name', sa.String(length=50), nullable=False),
    sa.Column('head_initials', sa.String(length=50), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('eligible', sa.Boolean(), nullable=False),
    sa.Column('resident', sa.Boolean(), nullable=False),
    sa.Column('enrolled_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_household_grid_id_grid')),
    sa.ForeignKeyConstraint(['group_id'], ['village_group.id'], name=op.f('fk_household_group_id_village_group')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_household_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household')),
    sa.UniqueConstraint('code', name=op.f('uq_household_code'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_head_initials'), ['head_initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_village_id'), ['village_id'], unique=False)

    op.create_table('scheme_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user.id'], name=op.f('fk_scheme_version_imported_by_id_user')),
    sa.ForeignKeyConstraint(['scheme_id'], ['scheme.id'], name=op.f('fk_scheme_version_scheme_id_scheme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_version')),
    sa.UniqueConstraint('scheme_id', 'number', name=op.f('uq_scheme_version_scheme_id_number'))
    )
    with op.batch_alter_table('scheme_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_version_scheme_id'), ['scheme_id'], unique=False)

    op.create_table('cap',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('item_codes', sa.JSON(), nullable=False),
    sa.Column('max_points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('per', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['scheme_version.id'], name=op.f('fk_cap_version_id_scheme_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cap'))
    )
    with op.batch_alter_table('cap', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cap_version_id'), ['version_id'], unique=False)

    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('base_points', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('inspection_period', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['scheme_version.id'], name=op.f('fk_category_version_id_scheme_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('version_id', 'code', name=op.f('uq_category_version_id_code'))
    )
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_version_id'), ['version_id'], unique=False)

    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.Uuid(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('scheme_version_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('device', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_inspection_household_id_household')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_inspection_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['scheme_version_id'], ['scheme_version.id'], name=op.f('fk_inspection_scheme_version_id_scheme_version')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_inspection_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_inspection_client_uuid')),
    sa.UniqueConstraint('household_id', 'period', name=op.f('uq_inspection_household_id_period'))
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_village_id'), ['village_id'], unique=False)

    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('is_head', sa.Boolean(), nullable=False),
    sa.Column('id_number', sa.String(length=32), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_member_household_id_household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_household_id'), ['household_id'], unique=False)

    op.create_table('role_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('store_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_role_grant_grid_id_grid')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_role_grant_household_id_household')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_role_grant_store_id_store')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_role_grant_town_id_town')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_role_grant_user_id_user')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_role_grant_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grant'))
    )
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grant_user_id'), ['user_id'], unique=False)

    op.create_table('item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('per', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('evidence', sa.String(length=16), nullable=False),
    sa.Column('credit', sa.String(length=16), nullable=False),
    sa.Column('default_met', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_item_category_id_category')),
    sa.ForeignKeyConstraint(['version_id'], ['scheme_version.id'], name=op.f('fk_item_version_id_scheme_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item')),
    sa.UniqueConstraint('version_id', 'code', name=op.f('uq_item_version_id_code'))
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_version_id'), ['version_id'], unique=False)

    op.create_table('entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.Uuid(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('scheme_version_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('occurred_month', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('device', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('corrects_entry_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['corrects_entry_id'], ['entry.id'], name=op.f('fk_entry_corrects_entry_id_entry')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_entry_household_id_household')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_entry_item_id_item')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_entry_member_id_member')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_entry_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['scheme_version_id'], ['scheme_version.id'], name=op.f('fk_entry_scheme_version_id_scheme_version')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_entry_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_entry_client_uuid'))
    )
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.create_index('ix_entry_household_month', ['household_id', 'occurred_month'], unique=False)
        batch_op.create_index('ix_entry_village_item_month', ['village_id', 'item_id', 'occurred_month', 'household_id', 'member_id', 'status', 'quantity'], unique=False)
        batch_op.create_index('ix_entry_village_month', ['village_id', 'occurred_month', 'household_id', 'member_id', 'item_id', 'status', 'quantity'], unique=False)

    op.create_table('inspection_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_item_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_inspection_item_item_id_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_item')),
    sa.UniqueConstraint('inspection_id', 'item_id', name=op.f('uq_inspection_item_inspection_id_item_id'))
    )
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_item_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('freeze',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_freeze_created_by_id_user')),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_freeze_entry_id_entry')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_freeze_household_id_household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_freeze'))
    )
    with op.batch_alter_table('freeze', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_freeze_household_id'), ['household_id'], unique=False)



def downgrade():
    with op.batch_alter_table('freeze', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_freeze_household_id'))

    op.drop_table('freeze')
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_item_inspection_id'))

    op.drop_table('inspection_item')
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_village_month')
        batch_op.drop_index('ix_entry_village_item_month')
        batch_op.drop_index('ix_entry_household_month')

    op.drop_table('entry')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_version_id'))

    op.drop_table('item')
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grant_user_id'))

    op.drop_table('role_grant')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_household_id'))

    op.drop_table('member')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_village_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_household_id'))

    op.drop_table('inspection')
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_version_id'))

    op.drop_table('category')
    with op.batch_alter_table('cap', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cap_version_id'))

    op.drop_table('cap')
    with op.batch_alter_table('scheme_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheme_version_scheme_id'))

    op.drop_table('scheme_version')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_village_id'))
        batch_op.drop_index(batch_op.f('ix_household_head_initials'))
        batch_op.drop_index(batch_op.f('ix_household_group_id'))
        batch_op.drop_index(batch_op.f('ix_household_grid_id'))

    op.drop_table('household')
    with op.batch_alter_table('village_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_group_village_id'))

    op.drop_table('village_group')
    op.drop_table('store_village')
    with op.batch_alter_table('scheme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheme_village_id'))

    op.drop_table('scheme')
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_village_id'))

    op.drop_table('grid')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_village_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))

    op.drop_table('audit_event')
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_town_id'))

    op.drop_table('village')
    with op.batch_alter_table('store', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_town_id'))

    op.drop_table('store')
    op.drop_table('user')
    op.drop_table('town')
