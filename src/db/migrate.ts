import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { Migrator, PostgresAdapter, PostgresDialect, sql } from 'kysely'
import type { Db } from './connect.js'
import { migrationProvider } from './migrations/index.js'

/*
 * The migration runner. One runs at a time per database, and a database without transactional DDL or
 * advisory locks (CockroachDB, YugabyteDB: docs/scaling.md) is served as well as PostgreSQL:
 *
 * - PostgreSQL-protocol databases: a lease row in `migration_lock` (taken by one `insert … on conflict`
 *   that also takes over a lease past its expiry, renewed while the migrations run, deleted at the end);
 *   a second runner polls until the lease is free. A holder that crashed is taken over once its lease
 *   expires (LEASE_SECONDS). On PostgreSQL, whose DDL is transactional, the pending migrations run in
 *   one transaction; where DDL is not transactional each statement commits on its own, and a run that
 *   died half-way is finished by the next one running the unrecorded migration again from the top
 *   (every migration is written to allow that: src/db/migrations/once.ts).
 * - SQLite: the migrations run inside one `begin immediate` transaction on the only write connection.
 *   No lease: a SQLite file is opened only by processes on one machine, its write lock already makes a
 *   second runner wait (busy retries) until the first commits, and its DDL is transactional, so a failed
 *   or killed run leaves nothing half-applied.
 */

/** How long a lease holds without renewal: a crashed runner's migrations resume after at most this. */
export const LEASE_SECONDS = 30
/** How often the holder renews its lease (well within LEASE_SECONDS, so a slow round trip does not lose it). */
const RENEW_MS = 5_000
/** How often a runner waiting for the lease tries again (jittered ±50 %). */
const WAIT_MS = 150
const LEASE_ID = 'migrations'

export interface MigrateOptions {
  /**
   * Whether the database's DDL is transactional; by default PostgreSQL's is, and CockroachDB's and
   * YugabyteDB's (recognised by `version()`) are not. Tests set false to run PostgreSQL the way those run.
   */
  transactionalDdl?: boolean
  /** This runner's name in the lease row (host, process and a random part by default). */
  owner?: string
}

/**
 * Applies every pending migration; throws with the failing migration's error. Processes starting at the
 * same moment on a new database (two `serve`, or `serve` and `import`) take turns: the first migrates
 * under the lock, and the others wait for it and then find nothing to do.
 */
export async function migrateToLatest(db: Db, options: MigrateOptions = {}): Promise<string[]> {
  const run = async (disableTransactions: boolean) => {
    const outcome = await new Migrator({
      db: db.kysely,
      provider: migrationProvider,
      disableTransactions,
    }).migrateToLatest()
    if (outcome.error) throw outcome.error
    return (outcome.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
  }
  if (db.dialect === 'sqlite') return inSqliteWriteLock(db, () => run(false))
  const transactional = options.transactionalDdl ?? (await hasTransactionalDdl(db))
  return underLease(db, options.owner ?? defaultOwner(), () => run(!transactional))
}

/** Reverts every migration (used by the up → down → up test). */
export async function migrateDownAll(db: Db): Promise<void> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProvider })
  for (;;) {
    const { error, results } = await migrator.migrateDown()
    if (error) throw error
    if (!results || results.length === 0) return
  }
}

/** Names of migrations not yet applied; the server refuses to start while this is non-empty. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProvider })
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name)
}

/**
 * PostgreSQL's dialect with Kysely's own migration lock left out: Kysely takes `pg_advisory_xact_lock`
 * inside its transaction, which CockroachDB does not have and which means nothing once DDL runs outside
 * a transaction. The lease (underLease) is the lock instead, on every PostgreSQL-protocol database.
 */
export class LeasedPostgresDialect extends PostgresDialect {
  override createAdapter(): PostgresAdapter {
    return new LeasedPostgresAdapter()
  }
}

class LeasedPostgresAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

const defaultOwner = () => `${hostname()}:${process.pid}:${randomUUID()}`

/** CockroachDB and YugabyteDB run DDL outside the transaction (online schema changes). */
async function hasTransactionalDdl(db: Db): Promise<boolean> {
  const { rows } = await sql<{ version: string }>`select version() as version`.execute(db.kysely)
  return !/CockroachDB|-YB-|YugabyteDB/i.test(rows[0]?.version ?? '')
}

/**
 * Creates the lease table when missing. Two runners may race here (before either holds a lease), and
 * PostgreSQL's `create table if not exists` can then still fail with a duplicate in its catalog: fine
 * as long as the table exists afterwards.
 */
async function ensureLeaseTable(db: Db): Promise<void> {
  try {
    await sql`create table if not exists migration_lock (
      id text primary key, owner text not null, expires_at timestamptz not null)`.execute(db.kysely)
  } catch (e) {
    const { rows } = await sql`select 1 from information_schema.tables
      where table_schema = current_schema() and table_name = 'migration_lock'`.execute(db.kysely)
    if (rows.length === 0) throw e
  }
}

/**
 * Takes the lease if it is free or expired (one statement, so two runners cannot both take it): the
 * insert when no row exists, else the update when the row's lease has run out. The database's clock
 * decides expiry, so runners on machines with skewed clocks agree.
 */
export async function tryTakeLease(db: Db, owner: string, seconds = LEASE_SECONDS): Promise<boolean> {
  const { rows } = await sql`
    insert into migration_lock (id, owner, expires_at)
    values (${LEASE_ID}, ${owner}, now() + ${seconds} * interval '1 second')
    on conflict (id) do update set owner = excluded.owner, expires_at = excluded.expires_at
      where migration_lock.expires_at < now()
    returning owner`.execute(db.kysely)
  return rows.length > 0
}

/** Extends the holder's lease; false when it is no longer the holder (it expired and was taken over). */
async function renewLease(db: Db, owner: string): Promise<boolean> {
  const r = await sql`update migration_lock set expires_at = now() + ${LEASE_SECONDS} * interval '1 second'
    where id = ${LEASE_ID} and owner = ${owner}`.execute(db.kysely)
  return Number(r.numAffectedRows ?? 0) > 0
}

async function underLease<R>(db: Db, owner: string, fn: () => Promise<R>): Promise<R> {
  await ensureLeaseTable(db)
  while (!(await tryTakeLease(db, owner)))
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS * (0.5 + Math.random())))
  let lost: unknown
  const renewing = setInterval(() => {
    renewLease(db, owner).then(
      (held) => {
        if (!held) lost ??= new Error(`the migration lease of ${owner} expired and was taken over`)
      },
      // A failed renewal is retried at the next tick; the lease outlasts a few of them.
      () => {},
    )
  }, RENEW_MS)
  try {
    const result = await fn()
    // Another runner may have run migrations beside this one: say so rather than pass it silently.
    if (lost) throw lost
    return result
  } finally {
    clearInterval(renewing)
    await sql`delete from migration_lock where id = ${LEASE_ID} and owner = ${owner}`.execute(db.kysely)
  }
}

async function inSqliteWriteLock<R>(db: Db, fn: () => Promise<R>): Promise<R> {
  await sql`begin immediate`.execute(db.kysely)
  try {
    const result = await fn()
    await sql`commit`.execute(db.kysely)
    return result
  } catch (e) {
    await sql`rollback`.execute(db.kysely)
    throw e
  }
}
