/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface StockTable {
  sku_id: string
  location_id: string
  /** '' when the stock has no lot, so (sku, location, lot) can be a primary key on both databases. */
  lot_key: string
  lot_id: string | null
  quantity: number
  updated_at: string
}

/**
 * Serial units per status, SKU, location and lot: a count of `unit` rows, kept by the ledger's projector
 * so stock on hand and the dashboard read a few rows instead of aggregating every unit.
 */
export interface UnitStockTable {
  status: string
  sku_id: string
  /** The unit's location, '' for a status without one (sold, in transit); part of the primary key. */
  location_key: string
  /** The unit's lot, '' when it has none. */
  lot_key: string
  units: number
}

/**
 * Changes to `unit_stock` of events not yet placed in the log (the sequenced path on PostgreSQL): each
 * command inserts its own rows, the sequencer folds them into `unit_stock` as it places the events.
 */
export interface UnitStockDeltaTable extends UnitStockTable {
  event_seq: number
}

/** Projections of the ledger: quantity on hand per SKU, location and lot, and the serial unit counts. */
export interface StockTables {
  stock: StockTable
  unit_stock: UnitStockTable
  unit_stock_delta: UnitStockDeltaTable
}
