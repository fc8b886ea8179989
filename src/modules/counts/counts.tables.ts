/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Both tables are projections of the ledger (its count events), rebuilt by `verify`'s replay: nothing
 * writes them but the projector.
 */

/** One count session: its scope, whether it is blind, and whether it is still open. */
export interface CountSessionTable {
  /** The count document's id. */
  id: string
  location_id: string
  /** JSON array of SKU ids the count is limited to; empty means every SKU. */
  sku_ids: string
  is_blind: number
  status: string
  started_seq: number
  started_at: string
  started_by: string
  closed_seq: number | null
  closed_at: string | null
  closed_by: string | null
}

/** One scan of a count: a unit seen, a counted quantity, or a serial the ledger does not know. */
export interface CountScanTable {
  count_id: string
  /** The scanner's idempotency key: a scan sent twice is stored (and counted) once. */
  scan_key: string
  event_seq: number
  kind: string
  location_id: string
  actor: string
  scanned_at: string
  unit_id: string | null
  serial: string | null
  sku_id: string | null
  lot_id: string | null
  quantity: number
  /** The unit as the ledger had it when it was scanned: status, location and last event. */
  unit_status: string | null
  unit_location_id: string | null
  unit_seq: number | null
  unit_cost_minor: number | null
  /** How the scan compares with the ledger at that moment: found, misplaced, other_status (units only). */
  judgement: string | null
  /** 1 when the same unit was already scanned in this count (it counts once). */
  is_repeat: number
  /** The recount that set this scan aside (its zone is counted again), or null. */
  voided_seq: number | null
}

export interface CountTables {
  count_session: CountSessionTable
  count_scan: CountScanTable
}
