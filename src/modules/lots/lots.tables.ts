/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface LotTable {
  id: string
  sku_id: string
  code: string
  expires_on: string | null
  created_at: string
}

/** Production batches of a SKU. */
export interface LotTables {
  lot: LotTable
}
