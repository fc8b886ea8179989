import type { Kysely } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

const text = 'text' as const
const big = 'bigint' as const

/**
 * Quality: defect codes (reference data), inspection attachments stored by their SHA-256 (the ledger
 * event carries the hash), and the indexes a recall's criteria and the defect analysis read by.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('defect_code')
    .ifNotExists()
    .addColumn('code', text, (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('retired_at', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('attachment')
    .ifNotExists()
    .addColumn('sha256', text, (c) => c.primaryKey())
    .addColumn('content_type', text, (c) => c.notNull())
    .addColumn('size', big, (c) => c.notNull())
    .addColumn('content_base64', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute()
  await createIndexOnce(db, 'unit_lot_ix', 'unit', ['lot_id'])
  await createIndexOnce(db, 'unit_supplier_ix', 'unit', ['supplier_id', 'received_at'])
  await createIndexOnce(db, 'event_type_ix', 'event', ['type', 'document_id'])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('event_type_ix').ifExists().execute()
  await db.schema.dropIndex('unit_supplier_ix').ifExists().execute()
  await db.schema.dropIndex('unit_lot_ix').ifExists().execute()
  await db.schema.dropTable('attachment').ifExists().execute()
  await db.schema.dropTable('defect_code').ifExists().execute()
}
