import { type Kysely, sql } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

const text = 'text' as const
const big = 'bigint' as const

/**
 * Stock on hand of serial units aggregated every in-stock `unit` row (7 s at 10 million units on
 * PostgreSQL). `unit_stock` counts units per status, SKU, location and lot instead, kept by the ledger's
 * projector; `unit_stock_delta` holds the changes of events the sequencer has not placed yet (the
 * sequenced write path), so no command updates a shared count row. Backfilled from `unit`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('unit_stock')
    .ifNotExists()
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('sku_id', text, (c) => c.notNull())
    .addColumn('location_key', text, (c) => c.notNull())
    .addColumn('lot_key', text, (c) => c.notNull())
    .addColumn('units', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('unit_stock_pk', ['status', 'sku_id', 'location_key', 'lot_key'])
    .execute()
  await db.schema
    .createTable('unit_stock_delta')
    .ifNotExists()
    .addColumn('event_seq', big, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('sku_id', text, (c) => c.notNull())
    .addColumn('location_key', text, (c) => c.notNull())
    .addColumn('lot_key', text, (c) => c.notNull())
    .addColumn('units', big, (c) => c.notNull())
    .execute()
  // No key on the buckets: an event may queue several rows of one bucket (one per group of its units, some
  // in one statement, see heldUnitStockDelta); the fold and the readers sum them.
  await createIndexOnce(db, 'unit_stock_delta_seq_ix', 'unit_stock_delta', ['event_seq'])
  // Recomputed, not added to, so a run again after an interrupted one counts each unit once.
  await sql`delete from unit_stock`.execute(db)
  await sql`
    insert into unit_stock (status, sku_id, location_key, lot_key, units)
    select status, sku_id, coalesce(location_id, ''), coalesce(lot_id, ''), count(*)
    from unit group by status, sku_id, coalesce(location_id, ''), coalesce(lot_id, '')
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('unit_stock_delta').ifExists().execute()
  await db.schema.dropTable('unit_stock').ifExists().execute()
}
