/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface WarrantyPolicyTable {
  sku_id: string
  months: number
  starts_at: string
  coverage: string | null
  /** JSON: SaleDateTerm[] */
  terms_by_sale_date: string
  replacement_rule: string
  replacement_min_days: number
  supplier_months: number
  supplier_starts_at: string
  public_check: number
  updated_at: string
}

export interface WarrantyLotTermTable {
  lot_id: string
  months: number
  label: string
  updated_at: string
}

/** A unit's public-check token, stored as its SHA-256 only; a rotated token is revoked. */
export interface PublicCheckTokenTable {
  token_hash: string
  unit_id: string
  created_at: string
  revoked_at: string | null
}

/** One public check: which token, from which client (a hash of its address), the unit's status then. */
export interface PublicCheckHitTable {
  token_hash: string
  client_hash: string
  checked_at: string
  unit_status: string
}

/** Warranty policies per SKU, terms per lot, and the public authenticity check's tokens and log. */
export interface WarrantyTables {
  warranty_policy: WarrantyPolicyTable
  warranty_lot_term: WarrantyLotTermTable
  public_check_token: PublicCheckTokenTable
  public_check_hit: PublicCheckHitTable
}
