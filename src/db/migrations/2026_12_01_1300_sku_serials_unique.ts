import type { Kysely } from 'kysely'
import { addColumnOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * A SKU may declare its serials unique across all SKUs (a phone maker's serial names one device,
 * whichever SKU it is received under): receipts then refuse a serial another SKU's unit already has.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await addColumnOnce(db, 'sku', 'serials_unique', 'integer', (c) => c.notNull().defaultTo(0))
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sku').dropColumn('serials_unique').execute()
}
