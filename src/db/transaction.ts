import { CompiledQuery, sql } from 'kysely'
import type { Db } from './connect.js'
import type { Executor, Trx } from './database.js'
import { isRetryable, mapDbError } from './errors.js'
import { withRetries } from './retry.js'

/** The ledger head as read under the write lock: the last event's seq and hash. */
export interface LedgerHead {
  seq: number
  hash: string
}

export type WriteJob<T> = (trx: Trx, head: LedgerHead) => Promise<T>

interface Queued {
  fn: WriteJob<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

/** Most commands sharing one commit; bounds how long the first of them waits for the last. */
const MAX_BATCH = 64

/**
 * Group commit for SQLite. A durable (synchronous=FULL) commit costs about a millisecond of fsync, and a
 * SQLite file has one writer at a time, so one commit per request caps a busy till at a few hundred
 * sales a second. Commands that arrive while a commit is in flight are queued and then run together in
 * one transaction, each inside its own savepoint: a refused command is rolled back to its savepoint
 * alone, and every command is answered only after the shared commit, so an acknowledged write is still
 * durable. Commands still run one after another, so each sees the ones before it.
 */
export class GroupCommitter {
  private readonly queue: Queued[] = []
  private isRunning = false

  constructor(private readonly db: Db) {}

  submit<T>(fn: WriteJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject })
      if (!this.isRunning) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.isRunning = true
    try {
      while (this.queue.length > 0) {
        // Let requests whose reads just finished reach `submit` first (their continuations are queued
        // behind this one); otherwise every batch would hold the one command that started it.
        await new Promise((resolve) => setImmediate(resolve))
        await this.runBatch()
      }
    } finally {
      this.isRunning = false
    }
  }

  private async runBatch(): Promise<void> {
    let batch: Queued[] = []
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.db.kysely.transaction().execute(async (trx) => {
          // Take the commands only once the connection is ours: the requests whose reads ran while we
          // waited for it have queued their commands by now, and join this commit.
          if (batch.length === 0) batch = this.queue.splice(0, MAX_BATCH)
          const head = await trx
            .selectFrom('ledger_head')
            .select(['seq', 'hash'])
            .where('id', '=', 1)
            .executeTakeFirstOrThrow()
          const done: Outcome[] = []
          for (const job of batch) done.push(await runInSavepoint(trx, head, job.fn))
          return done
        })
        batch.forEach((job, i) => {
          const o = outcomes[i]!
          if (o.ok) job.resolve(o.value)
          else job.reject(mapDbError(o.error))
        })
        return
      } catch (e) {
        // Another process held the write lock past the busy timeout: run the whole batch again.
        if (isRetryable(e) && attempt < 5) continue
        for (const job of batch) job.reject(mapDbError(e))
        return
      }
    }
  }
}

const SAVEPOINT = CompiledQuery.raw('savepoint command')
const RELEASE = CompiledQuery.raw('release savepoint command')
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint command')

async function runInSavepoint(trx: Trx, head: LedgerHead, fn: WriteJob<unknown>): Promise<Outcome> {
  const before = { ...head }
  await trx.executeQuery(SAVEPOINT)
  try {
    const value = await fn(trx, head)
    await trx.executeQuery(RELEASE)
    return { ok: true, value }
  } catch (error) {
    await trx.executeQuery(ROLLBACK_TO)
    await trx.executeQuery(RELEASE)
    // The refused command may have moved the head in memory; its events are gone, so move it back.
    Object.assign(head, before)
    return { ok: false, error }
  }
}

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
  try {
    // A serialization failure or a deadlock is the database asking us to run the command again (all of
    // it, idempotency lookup included); give up after a few, with back-off.
    return await withRetries(() =>
      db.kysely.transaction().execute(async (trx) => {
        let query = trx.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1)
        if (db.dialect === 'postgres') query = query.forUpdate()
        const head = await query.executeTakeFirstOrThrow()
        return fn(trx, head)
      }),
    )
  } catch (e) {
    throw mapDbError(e)
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
