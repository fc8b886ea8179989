/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface LocationTable {
  id: string
  code: string
  name: string
  level: string
  kind: string
  parent_id: string | null
  /** Materialised path of codes, `/SITE/ZONE/BIN/`, so a subtree is one `like 'prefix%'` range scan. */
  path: string
  /** The value printed on the location's label (bin, shelf), unique when present. */
  barcode: string | null
  /** When it was archived: refused in new operations, kept for history. */
  archived_at?: string | null
  created_at: string
}

/** The location tree (site > zone > bin). */
export interface LocationTables {
  location: LocationTable
}
