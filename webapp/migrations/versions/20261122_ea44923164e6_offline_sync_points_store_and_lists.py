"""offline sync, points store and lists

Reviewed by hand: new tables only (nothing existing changes), so it upgrades a
live database without touching its rows. Sync: device tokens (hash only),
receipts keyed by the client UUID for ever, photos and the slots that wait for
them. Store: products, stock movements (stock is their sum), redemptions with
lines and returns, household cards. Lists: lists, versions, items, flow steps,
the service desk with its status history, disclosures and attachments.

Revision ID: ea44923164e6
Revises: 6d7026960fea
Create Date: 2026-11-22 07:31:45.678318

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ea44923164e6'
down_revision = '6d7026960fea'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_device_revoked_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_device_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device')),
    sa.UniqueConstraint('public_id', name=op.f('uq_device_public_id')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_device_token_sha256'))
    )
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_user_id'), ['user_id'], unique=False)

    op.create_table('photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_photo_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photo')),
    sa.UniqueConstraint('upload_sha256', name=op.f('uq_photo_upload_sha256'))
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_stored_sha256'), ['stored_sha256'], unique=False)

    op.create_table('disclosure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_disclosure_created_by_id_user')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_disclosure_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure'))
    )
    with op.batch_alter_table('disclosure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosure_published_on'), ['published_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_disclosure_village_id'), ['village_id'], unique=False)

    op.create_table('duty_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['duty_list.id'], name=op.f('fk_duty_list_template_id_duty_list')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_duty_list_town_id_town')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_duty_list_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_list'))
    )
    with op.batch_alter_table('duty_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_list_town_id'), ['town_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duty_list_village_id'), ['village_id'], unique=False)

    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('price_points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('low_stock_at', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('price_points > 0', name=op.f('ck_product_price_positive')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_product_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('store_id', 'code', name=op.f('uq_product_store_id_code'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_store_id'), ['store_id'], unique=False)

    op.create_table('list_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('change_note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('adopted_at', sa.DateTime(), nullable=True),
    sa.Column('adopted_by_id', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['adopted_by_id'], ['user.id'], name=op.f('fk_list_version_adopted_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_list_version_created_by_id_user')),
    sa.ForeignKeyConstraint(['list_id'], ['duty_list.id'], name=op.f('fk_list_version_list_id_duty_list')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_version')),
    sa.UniqueConstraint('list_id', 'number', name=op.f('uq_list_version_list_id_number'))
    )
    with op.batch_alter_table('list_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_version_list_id'), ['list_id'], unique=False)

    op.create_table('household_card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_household_card_household_id_household')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_household_card_issued_by_id_user')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_household_card_revoked_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_card')),
    sa.UniqueConstraint('token', name=op.f('uq_household_card_token'))
    )
    with op.batch_alter_table('household_card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_card_household_id'), ['household_id'], unique=False)

    op.create_table('list_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('time_limit_days', sa.Integer(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('supervisor', sa.String(length=200), nullable=False),
    sa.Column('supervision', sa.Text(), nullable=False),
    sa.Column('guide', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['list_version.id'], name=op.f('fk_list_item_version_id_list_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_item')),
    sa.UniqueConstraint('version_id', 'code', name=op.f('uq_list_item_version_id_code'))
    )
    with op.batch_alter_table('list_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_item_version_id'), ['version_id'], unique=False)

    op.create_table('redemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_key', sa.Uuid(), nullable=False),
    sa.Column('receipt_no', sa.String(length=40), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('redeemed_on', sa.Date(), nullable=False),
    sa.Column('total_points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('clerk_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('total_points > 0', name=op.f('ck_redemption_total_positive')),
    sa.ForeignKeyConstraint(['clerk_id'], ['user.id'], name=op.f('fk_redemption_clerk_id_user')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_redemption_household_id_household')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_redemption_store_id_store')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_redemption_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption')),
    sa.UniqueConstraint('client_key', name=op.f('uq_redemption_client_key')),
    sa.UniqueConstraint('receipt_no', name=op.f('uq_redemption_receipt_no'))
    )
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.create_index('ix_redemption_household_day', ['household_id', 'redeemed_on'], unique=False)
        batch_op.create_index('ix_redemption_store_day', ['store_id', 'redeemed_on'], unique=False)

    op.create_table('list_flow_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=500), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['list_item.id'], name=op.f('fk_list_flow_step_item_id_list_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_flow_step'))
    )
    with op.batch_alter_table('list_flow_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_flow_step_item_id'), ['item_id'], unique=False)

    op.create_table('redemption_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_redemption_line_quantity_positive')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_redemption_line_product_id_product')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_redemption_line_redemption_id_redemption')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_line'))
    )
    with op.batch_alter_table('redemption_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemption_line_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_line_redemption_id'), ['redemption_id'], unique=False)

    op.create_table('redemption_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=False),
    sa.Column('points', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('returned_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_redemption_return_redemption_id_redemption')),
    sa.ForeignKeyConstraint(['returned_by_id'], ['user.id'], name=op.f('fk_redemption_return_returned_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_return')),
    sa.UniqueConstraint('redemption_id', name=op.f('uq_redemption_return_redemption_id'))
    )
    op.create_table('service_matter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.Column('handler', sa.String(length=50), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_service_matter_created_by_id_user')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_service_matter_household_id_household')),
    sa.ForeignKeyConstraint(['item_id'], ['list_item.id'], name=op.f('fk_service_matter_item_id_list_item')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_service_matter_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_matter')),
    sa.UniqueConstraint('village_id', 'number', name=op.f('uq_service_matter_village_id_number'))
    )
    with op.batch_alter_table('service_matter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_matter_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_matter_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_matter_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_matter_village_id'), ['village_id'], unique=False)

    op.create_table('stock_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('supplier', sa.String(length=100), nullable=False),
    sa.Column('invoice_no', sa.String(length=64), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('counted', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_stock_movement_created_by_id_user')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_stock_movement_product_id_product')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_stock_movement_redemption_id_redemption')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_stock_movement_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movement'))
    )
    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movement_product_quantity', ['product_id', 'quantity'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movement_redemption_id'), ['redemption_id'], unique=False)
        batch_op.create_index('ix_stock_movement_store_created', ['store_id', 'created_at'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('disclosure_id', sa.Integer(), nullable=True),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['disclosure_id'], ['disclosure.id'], name=op.f('fk_attachment_disclosure_id_disclosure')),
    sa.ForeignKeyConstraint(['matter_id'], ['service_matter.id'], name=op.f('fk_attachment_matter_id_service_matter')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_attachment_uploaded_by_id_user')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_attachment_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_disclosure_id'), ['disclosure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_village_id'), ['village_id'], unique=False)

    op.create_table('service_matter_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=12), nullable=False),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_service_matter_event_actor_id_user')),
    sa.ForeignKeyConstraint(['matter_id'], ['service_matter.id'], name=op.f('fk_service_matter_event_matter_id_service_matter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_matter_event'))
    )
    with op.batch_alter_table('service_matter_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_matter_event_matter_id'), ['matter_id'], unique=False)

    op.create_table('entry_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.Uuid(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('item_code', sa.String(length=32), nullable=False),
    sa.Column('upload_sha256', sa.String(length=64), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_entry_photo_entry_id_entry')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_entry_photo_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_entry_photo_photo_id_photo')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_photo')),
    sa.UniqueConstraint('client_uuid', 'upload_sha256', 'item_code', name=op.f('uq_entry_photo_client_uuid_upload_sha256_item_code'))
    )
    with op.batch_alter_table('entry_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_photo_client_uuid'), ['client_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_entry_photo_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entry_photo_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('sync_receipt',
    sa.Column('client_uuid', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('payload_sha256', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_sync_receipt_device_id_device')),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_sync_receipt_entry_id_entry')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_sync_receipt_inspection_id_inspection')),
    sa.PrimaryKeyConstraint('client_uuid', name=op.f('pk_sync_receipt'))
    )
    with op.batch_alter_table('sync_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_receipt_device_id'), ['device_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sync_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_receipt_device_id'))

    op.drop_table('sync_receipt')
    with op.batch_alter_table('entry_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_photo_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_entry_photo_entry_id'))
        batch_op.drop_index(batch_op.f('ix_entry_photo_client_uuid'))

    op.drop_table('entry_photo')
    with op.batch_alter_table('service_matter_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_matter_event_matter_id'))

    op.drop_table('service_matter_event')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_village_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_matter_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_disclosure_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_movement_store_created')
        batch_op.drop_index(batch_op.f('ix_stock_movement_redemption_id'))
        batch_op.drop_index('ix_stock_movement_product_quantity')

    op.drop_table('stock_movement')
    with op.batch_alter_table('service_matter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_matter_village_id'))
        batch_op.drop_index(batch_op.f('ix_service_matter_received_on'))
        batch_op.drop_index(batch_op.f('ix_service_matter_item_id'))
        batch_op.drop_index(batch_op.f('ix_service_matter_household_id'))

    op.drop_table('service_matter')
    op.drop_table('redemption_return')
    with op.batch_alter_table('redemption_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redemption_line_redemption_id'))
        batch_op.drop_index(batch_op.f('ix_redemption_line_product_id'))

    op.drop_table('redemption_line')
    with op.batch_alter_table('list_flow_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_list_flow_step_item_id'))

    op.drop_table('list_flow_step')
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.drop_index('ix_redemption_store_day')
        batch_op.drop_index('ix_redemption_household_day')

    op.drop_table('redemption')
    with op.batch_alter_table('list_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_list_item_version_id'))

    op.drop_table('list_item')
    with op.batch_alter_table('household_card', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_card_household_id'))

    op.drop_table('household_card')
    with op.batch_alter_table('list_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_list_version_list_id'))

    op.drop_table('list_version')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_store_id'))

    op.drop_table('product')
    with op.batch_alter_table('duty_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_list_village_id'))
        batch_op.drop_index(batch_op.f('ix_duty_list_town_id'))

    op.drop_table('duty_list')
    with op.batch_alter_table('disclosure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosure_village_id'))
        batch_op.drop_index(batch_op.f('ix_disclosure_published_on'))

    op.drop_table('disclosure')
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_stored_sha256'))

    op.drop_table('photo')
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_user_id'))

    op.drop_table('device')
