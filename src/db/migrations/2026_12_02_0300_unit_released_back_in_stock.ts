import { type Kysely, sql } from 'kysely'

// Frozen in time: no application imports. Never edit once merged; add a new migration instead.

/**
 * A unit released from quarantine now restarts its days in stock, as a return's restock does
 * (`back_in_stock_at`). Units released before this get the column replay now gives them: the business
 * time of their latest (in ledger order) restock, open-box restock or release, so `verify` keeps
 * replaying them exactly.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE unit SET back_in_stock_at = (
      SELECT e.occurred_at FROM event_unit eu JOIN event e ON e.seq = eu.event_seq
      WHERE eu.unit_id = unit.id AND e.type IN ('restocked', 'restocked_open_box', 'released')
      ORDER BY e.seq DESC LIMIT 1)
    WHERE EXISTS (
      SELECT 1 FROM event_unit eu JOIN event e ON e.seq = eu.event_seq
      WHERE eu.unit_id = unit.id AND e.type = 'released')`.execute(db)
}

export async function down(): Promise<void> {
  // The column stays; the dates it was given are what the new rule derives, nothing to undo.
}
