/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface SkuTable {
  id: string
  code: string
  name: string
  gtin: string | null
  tracking: string
  cost_minor: number
  price_minor: number
  warranty_months: number
  return_window_days: number
  serial_pattern: string | null
  /** An example serial shown with the format in refusals (added by a later migration). */
  serial_example: string | null
  serial_case: string
  allow_negative: number
  identifiers: string
  /** 1: no unit of another SKU may have the same serial. */
  serials_unique: number
  created_at: string
}

/** SKUs (products) and their rules. */
export interface CatalogTables {
  sku: SkuTable
}
