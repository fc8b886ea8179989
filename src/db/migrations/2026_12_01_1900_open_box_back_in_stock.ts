import { type Kysely, sql } from 'kysely'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * An open-box restock now restarts a unit's days in stock, as a plain restock does (`back_in_stock_at`).
 * Units restocked open-box before this get the column replay now gives them: the business time of their
 * latest restock of either kind, so `verify` keeps replaying them exactly.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE unit SET back_in_stock_at = (
      SELECT max(e.occurred_at) FROM event_unit eu JOIN event e ON e.seq = eu.event_seq
      WHERE eu.unit_id = unit.id AND e.type IN ('restocked', 'restocked_open_box'))
    WHERE EXISTS (
      SELECT 1 FROM event_unit eu JOIN event e ON e.seq = eu.event_seq
      WHERE eu.unit_id = unit.id AND e.type = 'restocked_open_box')`.execute(db)
}

export async function down(): Promise<void> {
  // The column stays; the dates it was given are what the new rule derives, nothing to undo.
}
