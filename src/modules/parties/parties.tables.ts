/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface PartyTable {
  id: string
  code: string
  name: string
  role: string
  email: string | null
  phone: string | null
  /** When it was archived: refused in new operations, kept for history. */
  archived_at?: string | null
  created_at: string
}

/** Suppliers and customers. */
export interface PartyTables {
  party: PartyTable
}
