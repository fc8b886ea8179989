import type { Kysely } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

const text = 'text' as const
const big = 'bigint' as const

/**
 * Lot and quantity stock packed in containers, a projection of the `packed` and `unpacked` events (their
 * payload's `quantities`) and of the moves, transfers and sales that take a container whole (their
 * payload's `containers`): per container, SKU and lot, how much is packed, where (null: in transit) and on
 * which transfer it travels. The stock itself stays in `stock` at its location; this says which part of it
 * is packed (and so not loose).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('container_quantity')
    .ifNotExists()
    .addColumn('container_code', text, (c) => c.notNull())
    .addColumn('sku_id', text, (c) => c.notNull().references('sku.id'))
    .addColumn('lot_key', text, (c) => c.notNull())
    .addColumn('lot_id', text)
    .addColumn('location_id', text)
    .addColumn('transfer_id', text)
    .addColumn('quantity', big, (c) => c.notNull())
    .addColumn('last_event_seq', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('container_quantity_pk', ['container_code', 'sku_id', 'lot_key'])
    .execute()
  await createIndexOnce(db, 'container_quantity_stock_ix', 'container_quantity', ['sku_id', 'location_id', 'lot_key'])
  await createIndexOnce(db, 'container_quantity_transfer_ix', 'container_quantity', ['transfer_id'])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('container_quantity').ifExists().execute()
}
