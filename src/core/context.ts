import type { Db } from '../db/connect.js'
import type { Trx } from '../db/database.js'
import type { LedgerHead } from '../db/transaction.js'
import type { Clock } from './clock.js'

/** What every use case runs with: the database, the clock and who is acting. */
export interface AppContext {
  db: Db
  clock: Clock
}

/** Who performs a command: a user name or an API token id, recorded on every event. */
export interface Actor {
  name: string
}

/** An open write transaction holding the ledger lock, with the command's actor and time. */
export interface WriteScope {
  trx: Trx
  head: LedgerHead
  actor: string
  now: Date
  /** Location paths the actor may act in (a store clerk's store); undefined means everywhere. */
  locationScope?: readonly string[]
}
