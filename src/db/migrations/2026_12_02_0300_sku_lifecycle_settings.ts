import type { Kysely } from 'kysely'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/** A SKU's own life-cycle stage thresholds and ageing buckets (JSON; null: the defaults), edited with the SKU. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sku').addColumn('lifecycle_settings', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sku').dropColumn('lifecycle_settings').execute()
}
