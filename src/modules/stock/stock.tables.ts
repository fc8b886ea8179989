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

/** Projection of the ledger: quantity on hand per SKU, location and lot. */
export interface StockTables {
  stock: StockTable
}
