import type { Generated, Kysely, Transaction } from 'kysely'

/*
 * Table interfaces for the whole schema. Kept in one file on purpose while the schema is young: the
 * ledger, projections and catalog are read together by replay and verify, and one file makes the
 * shape reviewable at a glance. Columns are portable: text ids, integer minor units, ISO-8601 text
 * instants, 0/1 integers for booleans, JSON as text.
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
  serial_case: string
  allow_negative: number
  identifiers: string
  created_at: string
}

export interface LocationTable {
  id: string
  code: string
  name: string
  level: string
  kind: string
  parent_id: string | null
  /** Materialised path of codes, `/SITE/ZONE/BIN/`, so a subtree is one `like 'prefix%'` range scan. */
  path: string
  created_at: string
}

export interface PartyTable {
  id: string
  code: string
  name: string
  role: string
  email: string | null
  phone: string | null
  created_at: string
}

export interface LotTable {
  id: string
  sku_id: string
  code: string
  expires_on: string | null
  created_at: string
}

export interface DocumentTable {
  id: string
  type: string
  number: string
  party_id: string | null
  location_id: string | null
  to_location_id: string | null
  reference: string | null
  occurred_at: string
  created_at: string
  actor: string
  data: string
}

export interface ExpectedSerialTable {
  document_id: string
  sku_id: string
  serial: string
}

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
  prev_hash: string
  hash: string
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

export interface LedgerHeadTable {
  id: number
  seq: number
  hash: string
}

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

export interface StockTable {
  sku_id: string
  location_id: string
  /** '' when the stock has no lot, so (sku, location, lot) can be a primary key on both databases. */
  lot_key: string
  lot_id: string | null
  quantity: number
  updated_at: string
}

export interface IdempotencyTable {
  key: string
  request_hash: string
  status_code: number
  response: string
  created_at: string
}

export interface AppUserTable {
  id: string
  username: string
  password_hash: string
  role: string
  /** JSON array of location codes the user may act in; empty means everywhere. */
  locations: string
  is_active: number
  must_change_password: number
  failed_logins: number
  locked_until: string | null
  created_at: string
}

export interface SessionTable {
  id_hash: string
  user_id: string
  csrf_token: string
  created_at: string
  expires_at: string
}

export interface ApiTokenTable {
  id: string
  token_hash: string
  name: string
  user_id: string
  scope: string
  created_at: string
  expires_at: string
  revoked_at: string | null
}

export interface AdminEventTable {
  id: string
  at: string
  actor: string
  action: string
  subject: string
  details: string
}

export interface Database {
  app_user: AppUserTable
  session: SessionTable
  api_token: ApiTokenTable
  admin_event: AdminEventTable
  sku: SkuTable
  location: LocationTable
  party: PartyTable
  lot: LotTable
  document: DocumentTable
  expected_serial: ExpectedSerialTable
  event: EventTable
  event_unit: EventUnitTable
  event_quantity: EventQuantityTable
  ledger_head: LedgerHeadTable
  unit: UnitTable
  unit_identifier: UnitIdentifierTable
  stock: StockTable
  idempotency: IdempotencyTable
}

/** Something queries run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>
export type Trx = Transaction<Database>
export type { Generated }
