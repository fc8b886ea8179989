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
  /** The SKU group whose markdown policy applies (null: none). */
  sku_group?: string | null
  /** 1: markdowns may take a unit's price below its cost. */
  below_cost_allowed?: number
  /** JSON of the SKU's own life-cycle settings (null: the defaults). */
  lifecycle_settings?: string | null
  /** When the SKU was archived: refused in new operations, kept for history. */
  archived_at?: string | null
  created_at: string
}

/**
 * One edited field of a SKU, location, party or markdown policy: append-only reference-data history
 * (who changed what, when, from which value to which). Values are JSON text.
 */
export interface CatalogChangeTable {
  id: string
  entity: string
  entity_id: string
  entity_code: string
  field: string
  old_value: string | null
  new_value: string | null
  actor: string
  changed_at: string
}

/** SKUs (products) and their rules, and the history of their edits. */
export interface CatalogTables {
  sku: SkuTable
  catalog_change: CatalogChangeTable
}
