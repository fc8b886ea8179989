import type { Kysely } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

const text = 'text' as const
const int = 'integer' as const
const big = 'bigint' as const

/** Cycle counts: projections of the ledger's count events (sessions and their scans). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('count_session')
    .ifNotExists()
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('location_id', text, (c) => c.notNull())
    .addColumn('sku_ids', text, (c) => c.notNull())
    .addColumn('is_blind', int, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('started_seq', big, (c) => c.notNull())
    .addColumn('started_at', text, (c) => c.notNull())
    .addColumn('started_by', text, (c) => c.notNull())
    .addColumn('closed_seq', big)
    .addColumn('closed_at', text)
    .addColumn('closed_by', text)
    .execute()
  await db.schema
    .createTable('count_scan')
    .ifNotExists()
    .addColumn('count_id', text, (c) => c.notNull())
    .addColumn('scan_key', text, (c) => c.notNull())
    .addColumn('event_seq', big, (c) => c.notNull())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('location_id', text, (c) => c.notNull())
    .addColumn('actor', text, (c) => c.notNull())
    .addColumn('scanned_at', text, (c) => c.notNull())
    .addColumn('unit_id', text)
    .addColumn('serial', text)
    .addColumn('sku_id', text)
    .addColumn('lot_id', text)
    .addColumn('quantity', big, (c) => c.notNull())
    .addColumn('unit_status', text)
    .addColumn('unit_location_id', text)
    .addColumn('unit_seq', big)
    .addColumn('unit_cost_minor', big)
    .addColumn('judgement', text)
    .addColumn('is_repeat', int, (c) => c.notNull())
    .addColumn('voided_seq', big)
    .addPrimaryKeyConstraint('count_scan_pk', ['count_id', 'scan_key'])
    .execute()
  await createIndexOnce(db, 'count_scan_judged_ix', 'count_scan', ['count_id', 'kind', 'judgement', 'is_repeat'])
  await createIndexOnce(db, 'count_scan_unit_ix', 'count_scan', ['count_id', 'unit_id'])
  await createIndexOnce(db, 'count_scan_unit_only_ix', 'count_scan', ['unit_id'])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('count_scan').ifExists().execute()
  await db.schema.dropTable('count_session').ifExists().execute()
}
