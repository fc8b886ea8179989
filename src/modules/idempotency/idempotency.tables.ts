/*
 * Kysely table interfaces of this module; `db/database.ts` combines every module's into `Database`.
 * Columns are portable: text ids, integer minor units, ISO-8601 text instants, 0/1 integers, JSON as text.
 */

export interface IdempotencyTable {
  key: string
  request_hash: string
  status_code: number
  response: string
  created_at: string
}

/** Results of requests sent with an Idempotency-Key. */
export interface IdempotencyTables {
  idempotency: IdempotencyTable
}
