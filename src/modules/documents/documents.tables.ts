/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

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

/** Business documents that group ledger events, and a receipt's expected serials (its manifest). */
export interface DocumentTables {
  document: DocumentTable
  expected_serial: ExpectedSerialTable
}
