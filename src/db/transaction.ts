import { CompiledQuery, sql } from 'kysely'
import type { Db } from './connect.js'
import type { Executor, Trx } from './database.js'
import { isRetryable, isUniqueViolation, mapDbError } from './errors.js'
import { COMMAND_RETRY, type RetryPolicy, SEQUENCED_COMMAND_RETRY, withRetries } from './retry.js'

/**
 * What a command appends after. Locked path: the ledger head as read under the write lock (the last
 * event's place in the log and its hash). Sequenced path: nothing is read; the event's seq is reserved
 * from the sequence, and its place and hash are given later by the sequencer.
 */
export interface LedgerHead {
  /** The last event's place in the log (locked path). */
  seq: number
  hash: string
  /** The highest event seq written, when it is above `seq` (a PostgreSQL ledger that was once sequenced). */
  lastSeq?: number
  /** The sequenced path: the event's seq comes from `event_seq_seq`, its place in the log comes later. */
  sequenced?: boolean
  /** The seq reserved for the next event of this transaction (sequenced path). */
  reserved?: number
}

/**
 * The seq the next event of this transaction will have: the one after the head's on the locked path,
 * one taken from the sequence on the sequenced path (kept until that event is written, so a document
 * numbered before its event shares the event's seq).
 */
export async function nextEventSeq(trx: Trx, head: LedgerHead): Promise<number> {
  if (!head.sequenced) return (head.lastSeq ?? head.seq) + 1
  head.reserved ??= Number(
    (await sql<{ seq: number }>`select nextval('event_seq_seq') as seq`.execute(trx)).rows[0]!.seq,
  )
  return head.reserved
}

let afterSequencedCommit: (db: Db) => void = () => {}
let beforeLogRead: (db: Db) => Promise<void> = async () => {}

/**
 * The sequencer's hooks (src/modules/ledger/sequencer.ts): `afterCommit` runs after every command that
 * committed on the sequenced path, `beforeRead` before every read snapshot (the readers of the log:
 * verify, checkpoints, proofs, exports), so they see the events acknowledged before they started.
 */
export function onSequencedPath(hooks: { afterCommit(db: Db): void; beforeRead(db: Db): Promise<void> }): void {
  afterSequencedCommit = hooks.afterCommit
  beforeLogRead = hooks.beforeRead
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

/** The head under the write lock on PostgreSQL, with the highest seq (above the head after a sequenced spell). */
const LOCKED_HEAD = CompiledQuery.raw(
  'select seq, hash, (select max(seq) from event) as last_seq from ledger_head where id = 1 for update',
)

/**
 * On the sequenced path a unique key taken by a concurrent command that committed first (a second copy of
 * a command with the same Idempotency-Key, a till's order with the same external reference, the same
 * serial received twice) fails the later one's insert: run it again, and it sees the first's row as the
 * locked path would have (a replay, or its rule's refusal). A key still taken on the last try comes out
 * as its AppError.
 */
const isRetryableCommand = (e: unknown) => isRetryable(e) || isUniqueViolation(e)

/** How often a command is tried on `db`'s write path (PostgreSQL; SQLite's writer queues instead). */
export const commandRetryOf = (db: Pick<Db, 'writePath'>): RetryPolicy =>
  db.writePath === 'sequenced' ? SEQUENCED_COMMAND_RETRY : COMMAND_RETRY

/**
 * Runs `fn` in a write transaction.
 *
 * - SQLite: `begin immediate` takes the file's write lock; commands arriving together share one commit
 *   (see GroupCommitter).
 * - PostgreSQL, `locked` path: a row lock on `ledger_head` first, held to commit. Writers of all server
 *   instances run one at a time, which keeps the hash chain linear at commit.
 * - PostgreSQL, `sequenced` path: REPEATABLE READ and no global lock. A command waits only for commands
 *   that change the same rows (a unit, a stock row, a document number), and of two that change the same
 *   row the one that read it stale fails with 40001 and is run again from scratch; its events are
 *   committed without a place in the log, which the sequencer gives them (src/modules/ledger/sequencer.ts).
 *
 * Every state check inside `fn` sees the state its writes are decided on. A serialization failure or a
 * deadlock is the database asking us to run the command again (all of it, idempotency lookup included);
 * we give up after a few, with back-off. Unique violations come out as AppErrors.
 */
export async function inWriteTransaction<T>(
  db: Db,
  fn: (trx: Trx, head: LedgerHead) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  if (db.dialect === 'sqlite') {
    const committer = committers.get(db.kysely) ?? committers.set(db.kysely, new GroupCommitter(db)).get(db.kysely)!
    return committer.submit(fn)
  }
  try {
    if (db.writePath === 'sequenced') {
      const value = await withRetries(
        () => inSequencedTransaction(db, fn, options.authVersion),
        commandRetryOf(db),
        isRetryableCommand,
      )
      afterSequencedCommit(db)
      return value
    }
    return await withRetries(
      () =>
        db.kysely.transaction().execute(async (trx) => {
          const row = (await trx.executeQuery(LOCKED_HEAD)).rows[0] as { seq: number; hash: string; last_seq: number }
          const head: LedgerHead = { seq: Number(row.seq), hash: row.hash }
          if (Number(row.last_seq) > head.seq) head.lastSeq = Number(row.last_seq)
          return fn(trx, head)
        }),
      commandRetryOf(db),
    )
  } catch (e) {
    throw mapDbError(e)
  }
}

export interface WriteOptions {
  /**
   * PostgreSQL, sequenced path: the `auth_version` the caller's principal was read at (a remembered API
   * token, src/modules/accounts/principal-cache.ts). The command's first statement reads the counter; when
   * it has moved, the command stops there with a StalePrincipalError (nothing written), and the caller reads
   * the principal again before running it again. Ignored elsewhere (the caller read the principal itself).
   */
  authVersion?: number
}

/**
 * A sequenced command was run for a remembered principal whose `auth_version` has moved since: an account
 * or token changed somewhere (perhaps this one: revoked, disabled, its role changed). Nothing was written;
 * the caller checks the credential again and runs the command again (src/http/operation-routes.ts).
 */
export class StalePrincipalError extends Error {
  constructor(
    readonly rememberedAt: number,
    readonly current: number,
  ) {
    super(`the principal was read at auth_version ${rememberedAt}; it is ${current} now`)
    this.name = 'StalePrincipalError'
  }
}

/**
 * Opens a sequenced command's transaction and reserves its event's seq in one round trip (two statements
 * in one simple query; the pool answers with the last one's rows, see connect.ts). The seq is still taken
 * after the snapshot: at REPEATABLE READ the snapshot is the first statement's, taken before it runs, and
 * that statement is the `nextval`. A command that writes no event leaves a gap, which seqs may have. The
 * same statement reads `auth_version` of that snapshot, for a caller that trusted a remembered principal
 * (WriteOptions): every change of an account or token committed before the snapshot has moved it.
 */
const BEGIN_SEQUENCED = CompiledQuery.raw(
  'start transaction isolation level repeatable read; ' +
    "select nextval('event_seq_seq') as seq, (select n from auth_version where id = 1) as auth_version",
)
const COMMIT = CompiledQuery.raw('commit')
const ROLLBACK = CompiledQuery.raw('rollback')

/**
 * One try of a sequenced command: its own transaction on one connection (begun as above, so not through
 * Kysely's `transaction()`, which would spend a round trip on the begin alone).
 */
async function inSequencedTransaction<T>(db: Db, fn: WriteJob<T>, authVersion?: number): Promise<T> {
  return db.kysely.connection().execute(async (conn) => {
    const { rows } = await conn.executeQuery<{ seq: number | string; auth_version: number | string }>(BEGIN_SEQUENCED)
    let value: T
    try {
      const current = Number(rows[0]!.auth_version)
      if (authVersion !== undefined && current !== authVersion) throw new StalePrincipalError(authVersion, current)
      // The connection, inside the transaction this function opened and closes, is the command's.
      value = await fn(conn as unknown as Trx, { seq: 0, hash: '', sequenced: true, reserved: Number(rows[0]!.seq) })
    } catch (e) {
      await conn.executeQuery(ROLLBACK).catch(() => {})
      throw e
    }
    const done = await conn.executeQuery<{ command?: string }>(COMMIT)
    // PostgreSQL ends a COMMIT with ROLLBACK when an earlier statement's error (caught) aborted the transaction.
    if (done.rows[0]?.command === 'ROLLBACK') throw new Error('the transaction was aborted by an earlier error')
    return value
  })
}

/**
 * Runs `fn` on one consistent snapshot without taking the write lock, so a long read (verify, export)
 * neither sees half of a concurrent write nor blocks writers: a deferred transaction on SQLite (WAL
 * readers see the state as of their first read), REPEATABLE READ on PostgreSQL.
 */
export async function inReadSnapshot<T>(db: Db, fn: (executor: Executor) => Promise<T>): Promise<T> {
  // On the primary, wait (bounded) for the sequencer to place what was committed before now.
  if (db.writePath === 'sequenced' && db.kysely !== db.replica) await beforeLogRead(db)
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
