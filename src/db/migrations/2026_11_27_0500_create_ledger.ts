import { type Kysely, sql } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

const text = 'text' as const
const int = 'integer' as const
const big = 'bigint' as const

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sku')
    .ifNotExists()
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('code', text, (c) => c.notNull())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('gtin', text)
    .addColumn('tracking', text, (c) => c.notNull().check(sql`tracking in ('serial','lot','quantity')`))
    .addColumn('cost_minor', big, (c) => c.notNull())
    .addColumn('price_minor', big, (c) => c.notNull())
    .addColumn('warranty_months', int, (c) => c.notNull())
    .addColumn('return_window_days', int, (c) => c.notNull())
    .addColumn('serial_pattern', text)
    .addColumn('serial_case', text, (c) => c.notNull().check(sql`serial_case in ('upper','lower','preserve')`))
    .addColumn('allow_negative', int, (c) => c.notNull())
    .addColumn('identifiers', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('sku_code_uq', ['code'])
    .addUniqueConstraint('sku_gtin_uq', ['gtin'])
    .execute()

  await db.schema
    .createTable('location')
    .ifNotExists()
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('code', text, (c) => c.notNull())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('level', text, (c) => c.notNull().check(sql`level in ('site','zone','bin')`))
    .addColumn('kind', text, (c) => c.notNull().check(sql`kind in ('warehouse','store','transit')`))
    .addColumn('parent_id', text, (c) => c.references('location.id'))
    .addColumn('path', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('location_code_uq', ['code'])
    .execute()
  await createIndexOnce(db, 'location_path_ix', 'location', ['path'])

  await db.schema
    .createTable('party')
    .ifNotExists()
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('code', text, (c) => c.notNull())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('role', text, (c) => c.notNull().check(sql`role in ('supplier','customer')`))
    .addColumn('email', text)
    .addColumn('phone', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('party_code_uq', ['code'])
    .execute()

  await db.schema
    .createTable('lot')
    .ifNotExists()
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('sku_id', text, (c) => c.notNull().references('sku.id'))
    .addColumn('code', text, (c) => c.notNull())
    .addColumn('expires_on', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addUniqueConstraint('lot_sku_code_uq', ['sku_id', 'code'])
    .execute()

  await db.schema
    .createTable('document')
    .ifNotExists()
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('number', text, (c) => c.notNull())
    .addColumn('party_id', text, (c) => c.references('party.id'))
    .addColumn('location_id', text, (c) => c.references('location.id'))
    .addColumn('to_location_id', text, (c) => c.references('location.id'))
    .addColumn('reference', text)
    .addColumn('occurred_at', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('actor', text, (c) => c.notNull())
    .addColumn('data', text, (c) => c.notNull())
    .addUniqueConstraint('document_type_number_uq', ['type', 'number'])
    .execute()
  await createIndexOnce(db, 'document_reference_ix', 'document', ['reference'])

  await db.schema
    .createTable('expected_serial')
    .ifNotExists()
    .addColumn('document_id', text, (c) => c.notNull().references('document.id'))
    .addColumn('sku_id', text, (c) => c.notNull().references('sku.id'))
    .addColumn('serial', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('expected_serial_pk', ['document_id', 'sku_id', 'serial'])
    .execute()

  // The ledger. Rows are only ever inserted; seq is gapless and orders the hash chain.
  await db.schema
    .createTable('event')
    .ifNotExists()
    .addColumn('seq', big, (c) => c.primaryKey())
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('occurred_at', text, (c) => c.notNull())
    .addColumn('recorded_at', text, (c) => c.notNull())
    .addColumn('actor', text, (c) => c.notNull())
    .addColumn('location_id', text)
    .addColumn('from_location_id', text)
    .addColumn('reason', text)
    .addColumn('document_type', text)
    .addColumn('document_id', text)
    .addColumn('payload', text, (c) => c.notNull())
    .addColumn('unit_count', int, (c) => c.notNull())
    .addColumn('quantity_line_count', int, (c) => c.notNull())
    .addColumn('lines_hash', text, (c) => c.notNull())
    .addColumn('prev_hash', text, (c) => c.notNull())
    .addColumn('hash', text, (c) => c.notNull())
    .addUniqueConstraint('event_id_uq', ['id'])
    .execute()
  await createIndexOnce(db, 'event_document_ix', 'event', ['document_id'])
  await createIndexOnce(db, 'event_occurred_ix', 'event', ['occurred_at'])

  // Lines carry no foreign keys: they are written only by the ledger writer, a million per receipt,
  // and the header row is inserted last because its hash covers them.
  await db.schema
    .createTable('event_unit')
    .ifNotExists()
    .addColumn('event_seq', big, (c) => c.notNull())
    .addColumn('line_no', int, (c) => c.notNull())
    .addColumn('unit_id', text, (c) => c.notNull())
    .addColumn('sku_id', text, (c) => c.notNull())
    .addColumn('serial', text, (c) => c.notNull())
    .addColumn('lot_id', text)
    .addColumn('cost_minor', big)
    .addColumn('price_minor', big)
    .addColumn('attributes', text)
    .addPrimaryKeyConstraint('event_unit_pk', ['event_seq', 'line_no'])
    .execute()
  await createIndexOnce(db, 'event_unit_unit_ix', 'event_unit', ['unit_id', 'event_seq'])

  await db.schema
    .createTable('event_quantity')
    .ifNotExists()
    .addColumn('event_seq', big, (c) => c.notNull())
    .addColumn('line_no', int, (c) => c.notNull())
    .addColumn('sku_id', text, (c) => c.notNull())
    .addColumn('lot_id', text)
    .addColumn('location_id', text, (c) => c.notNull())
    .addColumn('delta', big, (c) => c.notNull())
    .addColumn('cost_minor', big)
    .addColumn('price_minor', big)
    .addPrimaryKeyConstraint('event_quantity_pk', ['event_seq', 'line_no'])
    .execute()
  await createIndexOnce(db, 'event_quantity_sku_ix', 'event_quantity', ['sku_id', 'location_id'])

  // One row: the last event's seq and hash. Writers lock it, which serialises appends to the chain.
  await db.schema
    .createTable('ledger_head')
    .ifNotExists()
    .addColumn('id', int, (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seq', big, (c) => c.notNull())
    .addColumn('hash', text, (c) => c.notNull())
    .execute()
  await db
    .insertInto('ledger_head')
    .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()

  await db.schema
    .createTable('unit')
    .ifNotExists()
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('sku_id', text, (c) => c.notNull().references('sku.id'))
    .addColumn('serial', text, (c) => c.notNull())
    .addColumn('status', text, (c) =>
      c
        .notNull()
        .check(
          sql`status in ('in_stock','in_transit','sold','returned','quarantined','in_repair','returned_to_vendor','scrapped','missing')`,
        ),
    )
    .addColumn('location_id', text, (c) => c.references('location.id'))
    .addColumn('lot_id', text)
    .addColumn('receipt_id', text)
    .addColumn('supplier_id', text)
    .addColumn('cost_minor', big)
    .addColumn('received_at', text, (c) => c.notNull())
    .addColumn('customer_id', text)
    .addColumn('order_ref', text)
    .addColumn('sale_price_minor', big)
    .addColumn('sold_at', text)
    .addColumn('transfer_id', text)
    .addColumn('parent_unit_id', text)
    .addColumn('attributes', text)
    .addColumn('version', int, (c) => c.notNull())
    .addColumn('last_event_seq', big, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addUniqueConstraint('unit_sku_serial_uq', ['sku_id', 'serial'])
    .execute()
  await createIndexOnce(db, 'unit_serial_ix', 'unit', ['serial'])
  await createIndexOnce(db, 'unit_status_ix', 'unit', ['status', 'sku_id'])
  await createIndexOnce(db, 'unit_location_ix', 'unit', ['location_id', 'sku_id'])
  await createIndexOnce(db, 'unit_receipt_ix', 'unit', ['receipt_id'])
  await createIndexOnce(db, 'unit_transfer_ix', 'unit', ['transfer_id'])

  await db.schema
    .createTable('unit_identifier')
    .ifNotExists()
    .addColumn('unit_id', text, (c) => c.notNull())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('value', text, (c) => c.notNull())
    .addColumn('is_unique', int, (c) => c.notNull())
    .addPrimaryKeyConstraint('unit_identifier_pk', ['unit_id', 'name'])
    .execute()
  await createIndexOnce(db, 'unit_identifier_value_ix', 'unit_identifier', ['value'])
  await db.schema
    .createIndex('unit_identifier_unique_uq')
    .ifNotExists()
    .on('unit_identifier')
    .columns(['name', 'value'])
    .unique()
    .where(sql.ref('is_unique'), '=', 1)
    .execute()

  await db.schema
    .createTable('stock')
    .ifNotExists()
    .addColumn('sku_id', text, (c) => c.notNull().references('sku.id'))
    .addColumn('location_id', text, (c) => c.notNull().references('location.id'))
    .addColumn('lot_key', text, (c) => c.notNull())
    .addColumn('lot_id', text)
    .addColumn('quantity', big, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_pk', ['sku_id', 'location_id', 'lot_key'])
    .execute()

  await db.schema
    .createTable('idempotency')
    .ifNotExists()
    .addColumn('key', text, (c) => c.primaryKey())
    .addColumn('request_hash', text, (c) => c.notNull())
    .addColumn('status_code', int, (c) => c.notNull())
    .addColumn('response', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'idempotency',
    'stock',
    'unit_identifier',
    'unit',
    'ledger_head',
    'event_quantity',
    'event_unit',
    'event',
    'expected_serial',
    'document',
    'lot',
    'party',
    'location',
    'sku',
  ])
    await db.schema.dropTable(t).ifExists().execute()
}
