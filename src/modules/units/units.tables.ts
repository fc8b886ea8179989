/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface UnitTable {
  id: string
  sku_id: string
  serial: string
  status: string
  location_id: string | null
  lot_id: string | null
  receipt_id: string | null
  supplier_id: string | null
  cost_minor: number | null
  received_at: string
  customer_id: string | null
  order_ref: string | null
  sale_price_minor: number | null
  sold_at: string | null
  transfer_id: string | null
  parent_unit_id: string | null
  attributes: string | null
  /** The unit's own current price (its latest `price_changed`); null: the SKU's list price. */
  list_price_minor?: number | null
  /** When the unit arrived at its current location (null: at receipt). */
  located_at?: string | null
  /** When the unit last came back to stock after a return or a repair (its latest `restocked`). */
  back_in_stock_at?: string | null
  /** The container the unit is packed in (its latest `packed`, until `unpacked` or it leaves our stock). */
  container_code?: string | null
  version: number
  last_event_seq: number
  updated_at: string
}

export interface UnitIdentifierTable {
  unit_id: string
  name: string
  value: string
  is_unique: number
}

/** Projections of the ledger: each unit's current state and its searchable extra identifiers. */
export interface UnitTables {
  unit: UnitTable
  unit_identifier: UnitIdentifierTable
}
