import type { Kysely } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * One index on `unit.status` instead of two. `unit_status_ix (status, sku_id, location_id, id)` (a count's
 * units in scope, read from the index alone) and `unit_sku_status_ix (sku_id, status, received_at)` (a pick
 * list's oldest units of a SKU in stock, the ageing and markdown scans) both change when a unit changes
 * status, and a recall's quarantine of 100,000 units spent as long moving their entries as rewriting the
 * rows. `unit_status_received_ix (status, sku_id, received_at, location_id, id)` serves both: the same
 * equality prefix, the pick list's order by arrival within (status, SKU), and every column the count's
 * scope reads. What used the old SKU-first index by its `sku_id` prefix alone has `unit_sku_id_ix`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createIndexOnce(db, 'unit_status_received_ix', 'unit', ['status', 'sku_id', 'received_at', 'location_id', 'id'])
  await db.schema.dropIndex('unit_status_ix').ifExists().execute()
  await db.schema.dropIndex('unit_sku_status_ix').ifExists().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await createIndexOnce(db, 'unit_sku_status_ix', 'unit', ['sku_id', 'status', 'received_at'])
  await createIndexOnce(db, 'unit_status_ix', 'unit', ['status', 'sku_id', 'location_id', 'id'])
  await db.schema.dropIndex('unit_status_received_ix').ifExists().execute()
}
