import type { Kysely } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * The unit list pages in id order (keyset). Filtered by SKU, supplier or receipt it walked `unit_pkey`
 * and skipped every unit that did not match until it filled a page: at 1 million units, a filter matching
 * only the newest 20,000 read the other million first (0.6–0.8 s on PostgreSQL, seconds at 10 million).
 * An index on (filter column, id) makes each a range scan in page order. `unit_receipt_ix (receipt_id)`
 * is a prefix of the new receipt index, so it goes. Measured before adding them (docs/scaling.md): the
 * status filter is served by the existing indexes, the time filters by the index on their column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createIndexOnce(db, 'unit_sku_id_ix', 'unit', ['sku_id', 'id'])
  await createIndexOnce(db, 'unit_supplier_id_ix', 'unit', ['supplier_id', 'id'])
  await createIndexOnce(db, 'unit_receipt_id_ix', 'unit', ['receipt_id', 'id'])
  await db.schema.dropIndex('unit_receipt_ix').ifExists().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await createIndexOnce(db, 'unit_receipt_ix', 'unit', ['receipt_id'])
  await db.schema.dropIndex('unit_receipt_id_ix').ifExists().execute()
  await db.schema.dropIndex('unit_supplier_id_ix').ifExists().execute()
  await db.schema.dropIndex('unit_sku_id_ix').ifExists().execute()
}
