import type { Kysely } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * The defect analysis counts units per SKU, receipt, lot and supplier, for a period of receipt: one
 * covering index in that order lets it read a million units as one index scan, grouped as it goes
 * (no table rows, no sort), with the SKU set and the period checked on the index entries.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createIndexOnce(db, 'unit_analysis_ix', 'unit', [
    'sku_id',
    'receipt_id',
    'lot_id',
    'supplier_id',
    'received_at',
  ])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('unit_analysis_ix').ifExists().execute()
}
