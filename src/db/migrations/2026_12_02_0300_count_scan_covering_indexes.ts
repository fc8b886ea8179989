import type { Kysely } from 'kysely'
import { createIndexOnce } from './once.js'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * A count's reconciliation reads from indexes alone: its tally (judgement, repeats and cost of every unit
 * scan, never set aside), its "was this unit scanned" probe (one per unit in the count's scope), and the
 * units in scope (status, location and id: `unit_status_ix` grows from (status, sku_id) to cover them,
 * still one index). The two older count indexes are prefixes of the new ones, so they go.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createIndexOnce(db, 'count_scan_tally_ix', 'count_scan', [
    'count_id',
    'kind',
    'voided_seq',
    'judgement',
    'is_repeat',
    'unit_cost_minor',
  ])
  await createIndexOnce(db, 'count_scan_seen_ix', 'count_scan', ['count_id', 'unit_id', 'voided_seq'])
  await db.schema.dropIndex('count_scan_judged_ix').ifExists().execute()
  await db.schema.dropIndex('count_scan_unit_ix').ifExists().execute()
  await db.schema.dropIndex('unit_status_ix').ifExists().execute()
  await createIndexOnce(db, 'unit_status_ix', 'unit', ['status', 'sku_id', 'location_id', 'id'])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('unit_status_ix').ifExists().execute()
  await createIndexOnce(db, 'unit_status_ix', 'unit', ['status', 'sku_id'])
  await createIndexOnce(db, 'count_scan_judged_ix', 'count_scan', ['count_id', 'kind', 'judgement', 'is_repeat'])
  await createIndexOnce(db, 'count_scan_unit_ix', 'count_scan', ['count_id', 'unit_id'])
  await db.schema.dropIndex('count_scan_seen_ix').ifExists().execute()
  await db.schema.dropIndex('count_scan_tally_ix').ifExists().execute()
}
