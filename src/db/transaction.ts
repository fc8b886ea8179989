import { sql } from 'kysely'
import type { Db } from './connect.js'
import type { Executor, Trx } from './database.js'
import { isRetryable, mapDbError } from './errors.js'

import { GroupCommitter, type LedgerHead } from './group-commit.js'

export type { LedgerHead }

// One per connection (keyed by its query builder: test helpers copy the Db object around).
const committers = new WeakMap<Db['kysely'], GroupCommitter>()

/**
 * Runs `fn` in a write transaction that holds the ledger lock: SQLite's `begin immediate` write lock,
 * or a row lock on `ledger_head` on PostgreSQL. Writers are therefore serialised by the database itself,
 * across processes and server instances, which keeps the hash chain linear and makes every state check
 * inside `fn` see the latest committed state. Unique violations come out as AppErrors. On SQLite,
 * commands arriving together share one commit (see GroupCommitter).
 */
export async function inWriteTransaction<T>(db: Db, fn: (trx: Trx, head: LedgerHead) => Promise<T>): Promise<T> {
  if (db.dialect === 'sqlite') {
    const committer = committers.get(db.kysely) ?? committers.set(db.kysely, new GroupCommitter(db)).get(db.kysely)!
    return committer.submit(fn)
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.kysely.transaction().execute(async (trx) => {
        let query = trx.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1)
        if (db.dialect === 'postgres') query = query.forUpdate()
        const head = await query.executeTakeFirstOrThrow()
        return fn(trx, head)
      })
    } catch (e) {
      // A busy timeout or a deadlock is the database asking us to try again; give up after a few.
      if (isRetryable(e) && attempt < 5) continue
      throw mapDbError(e)
    }
  }
}

/**
 * Runs `fn` on one consistent snapshot without taking the write lock, so a long read (verify, export)
 * neither sees half of a concurrent write nor blocks writers: a deferred transaction on SQLite (WAL
 * readers see the state as of their first read), REPEATABLE READ on PostgreSQL.
 */
export async function inReadSnapshot<T>(db: Db, fn: (executor: Executor) => Promise<T>): Promise<T> {
  if (db.dialect === 'postgres') return db.kysely.transaction().setIsolationLevel('repeatable read').execute(fn)
  return db.kysely.connection().execute(async (conn) => {
    await sql`begin deferred`.execute(conn)
    try {
      return await fn(conn)
    } finally {
      await sql`rollback`.execute(conn)
    }
  })
}
