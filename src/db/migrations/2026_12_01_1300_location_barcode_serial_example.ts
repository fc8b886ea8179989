import type { Kysely } from 'kysely'
import { addColumnOnce, createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * A location may carry the value printed on its bin or shelf label (scanned to set a location field),
 * unique when present; a SKU may declare an example serial, shown with its serial format in refusals;
 * documents are listed newest first by business time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await addColumnOnce(db, 'location', 'barcode', 'text')
  await db.schema.createIndex('location_barcode_uq').ifNotExists().on('location').column('barcode').unique().execute()
  await addColumnOnce(db, 'sku', 'serial_example', 'text')
  // The documents list pages newest first by business time.
  await createIndexOnce(db, 'document_occurred_ix', 'document', ['occurred_at', 'id'])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('document_occurred_ix').ifExists().execute()
  await db.schema.alterTable('sku').dropColumn('serial_example').execute()
  await db.schema.dropIndex('location_barcode_uq').ifExists().execute()
  await db.schema.alterTable('location').dropColumn('barcode').execute()
}
