import type { Kysely } from 'kysely'
import { addColumnOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/** A SKU's own life-cycle stage thresholds and ageing buckets (JSON; null: the defaults), edited with the SKU. */
export async function up(db: Kysely<any>): Promise<void> {
  await addColumnOnce(db, 'sku', 'lifecycle_settings', 'text')
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sku').dropColumn('lifecycle_settings').execute()
}
