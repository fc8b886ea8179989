/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

/** A defect code: reference data an inspection names (`SCREEN`, `BATTERY`, `DOA`); retired ones stay readable. */
export interface DefectCodeTable {
  code: string
  name: string
  retired_at: string | null
  created_at: string
  updated_at: string
}

/** An inspection's photo or PDF, stored once by its SHA-256 (the hash the ledger event carries). */
export interface AttachmentTable {
  sha256: string
  content_type: string
  size: number
  content_base64: string
  created_at: string
}

export interface QualityTables {
  defect_code: DefectCodeTable
  attachment: AttachmentTable
}
