/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface EventTable {
  seq: number
  id: string
  type: string
  occurred_at: string
  recorded_at: string
  actor: string
  location_id: string | null
  from_location_id: string | null
  reason: string | null
  document_type: string | null
  document_id: string | null
  payload: string
  unit_count: number
  quantity_line_count: number
  lines_hash: string
  /** Null until the sequencer gives the event its place in the log (sequenced path, PostgreSQL). */
  prev_hash: string | null
  hash: string | null
  log_pos: number | null
}

export interface EventUnitTable {
  event_seq: number
  line_no: number
  unit_id: string
  sku_id: string
  serial: string
  lot_id: string | null
  cost_minor: number | null
  price_minor: number | null
  attributes: string | null
}

export interface EventQuantityTable {
  event_seq: number
  line_no: number
  sku_id: string
  lot_id: string | null
  location_id: string
  delta: number
  cost_minor: number | null
  price_minor: number | null
}

/** The log's end: the last sequenced event's place (`seq` names it, as before) and hash. */
export interface LedgerHeadTable {
  id: number
  seq: number
  hash: string
}

/** The append-only ledger: events, their unit and quantity lines, and the chain head. */
export interface LedgerTables {
  event: EventTable
  event_unit: EventUnitTable
  event_quantity: EventQuantityTable
  ledger_head: LedgerHeadTable
}
