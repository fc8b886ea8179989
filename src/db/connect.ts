import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
  SqliteDriver,
} from 'kysely'
import pg from 'pg'
import type { Database } from './database.js'
import { LeasedPostgresDialect } from './migrate.js'

export { migrateDownAll, migrateToLatest, type MigrateOptions, pendingMigrations } from './migrate.js'

export type DialectName = 'sqlite' | 'postgres'

/**
 * How commands append to the ledger on PostgreSQL. `locked`: every command locks the ledger head and
 * chains its event at commit, so writers run one at a time. `sequenced`: commands lock only the rows
 * they change and commit events without a place in the log; a sequencer gives them their place and
 * chain in batches (see docs/scaling.md). SQLite always writes `locked` (one writer, group commit).
 */
export type WritePath = 'locked' | 'sequenced'

/** The PostgreSQL write path when LEDGER_WRITE_PATH is not set. */
export const DEFAULT_WRITE_PATH: WritePath = 'sequenced'

/** An open database: the query builder plus what dialect-specific code needs to know. */
export interface Db {
  kysely: Kysely<Database>
  dialect: DialectName
  url: string
  /** How commands append to the ledger (always `locked` on SQLite). */
  writePath: WritePath
  /** The raw SQLite handle, for online backup; undefined on PostgreSQL. */
  sqlite?: SQLite.Database
  /**
   * Runs one compiled read-only query, outside any transaction, on the latest committed state. The hot
   * reads of every request (the token check, the scan box) use it: on a SQLite file it runs on a second,
   * query-only connection, so it neither waits behind a batch of writes holding the write connection
   * nor sees that batch before it commits, and it skips Kysely's connection hand-off. Elsewhere it is
   * the query builder's own executeQuery.
   */
  read<R>(query: CompiledQuery<R>): Promise<R[]>
  /**
   * A number that changes whenever any other connection (this process's writer, another process)
   * commits, as `read` sees it: while it stays the same, what `read` would return is the same. SQLite
   * files only (PRAGMA data_version of the read connection); undefined elsewhere.
   */
  dataVersion?(): number
  /**
   * A streaming replica (READ_DATABASE_URL) for reads that need not be fresh: reports, lists, exports.
   * Scan lookups, a unit's own page and every write stay on the primary. Use it through `staleReads`.
   */
  replica?: Kysely<Database>
  /** Run (in order) by `close` before the connections end: background work on this database stops there. */
  beforeClose: Array<() => Promise<void>>
  close(): Promise<void>
}

/** Runs the database's before-close hooks, then closes it. */
const closing = (hooks: Array<() => Promise<void>>, close: () => Promise<void>) => async () => {
  for (const hook of hooks.splice(0)) await hook()
  await close()
}

/**
 * Where a read that may lag the latest commits runs (a report, a list, an export): the read replica
 * when one is configured, else the primary. What it returns may miss the newest writes by the replica's lag.
 */
export const staleReads = (db: Db): Kysely<Database> => db.replica ?? db.kysely

export const DEFAULT_DATABASE_URL = 'sqlite:./data/serial-ledger.db'

/**
 * PostgreSQL connections per pool when not configured (DATABASE_POOL_SIZE for a server). A command holds
 * its connection for its whole transaction, a dozen round trips, so with 10 the eleventh concurrent sale
 * of an instance queued for a connection however idle the database was (50 clients: a second's wait).
 */
export const DEFAULT_POOL_SIZE = 20

export interface ConnectOptions {
  /** SQLite `synchronous` level; FULL (the default) makes every acknowledged commit survive power loss. */
  sqliteSynchronous?: 'FULL' | 'NORMAL'
  poolSize?: number
  /** A postgres:// streaming replica of `url` for stale-tolerant reads (PostgreSQL only). */
  readUrl?: string
  /** PostgreSQL's write path; DEFAULT_WRITE_PATH when absent, ignored on SQLite. */
  writePath?: WritePath
}

/**
 * Opens `sqlite:<file>` (or `sqlite::memory:`) or a `postgres://` URL. SQLite runs in WAL mode with
 * synchronous=FULL and a busy timeout, so a CLI import and the server can share the file.
 */
export function connect(url: string = DEFAULT_DATABASE_URL, options: ConnectOptions = {}): Db {
  const isPostgres = (u: string) => u.startsWith('postgres://') || u.startsWith('postgresql://')
  if (options.readUrl !== undefined && !(isPostgres(url) && isPostgres(options.readUrl)))
    throw new Error('READ_DATABASE_URL needs PostgreSQL: both it and DATABASE_URL must be postgres:// URLs')
  if (isPostgres(url)) return connectPostgres(url, options)
  if (url.startsWith('sqlite:')) return connectSqlite(url, options)
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${JSON.stringify(url)})`)
}

/** better-sqlite3's driver begins `deferred`; writers must take the write lock up front (`immediate`),
 * or a read-then-write transaction can fail with SQLITE_BUSY when another process wrote in between. */
class ImmediateSqliteDriver extends SqliteDriver {
  /** The driver's one connection, wrapped (the driver hands out the same connection every time). */
  private connection?: DatabaseConnection

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection()
    this.connection ??= waitingAsyncWhenBusy(connection)
    return this.connection
  }
}

/** How long one SQLite call may wait, blocking its thread, for another connection's write lock. */
const BUSY_SLICE_MS = 100
/** How long in all a statement waits for the write lock before it fails with SQLITE_BUSY. */
const BUSY_DEADLINE_MS = 15_000

/**
 * SQLite waits for another connection's write lock inside the call, and better-sqlite3 calls are
 * synchronous: a 15 s busy timeout would stop the event loop for up to 15 s (a SKU created in the
 * server while the writer thread writes a million-unit receipt froze every request). So each call waits
 * at most BUSY_SLICE_MS; a statement refused as busy (nothing of it was applied) is tried again after an
 * asynchronous pause, until BUSY_DEADLINE_MS.
 */
function waitingAsyncWhenBusy(inner: DatabaseConnection): DatabaseConnection {
  return {
    executeQuery: async (query) => {
      const deadline = Date.now() + BUSY_DEADLINE_MS
      for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
        try {
          return await inner.executeQuery(query)
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() + pause >= deadline) throw e
          await new Promise((resolve) => setTimeout(resolve, pause))
        }
      }
    },
    streamQuery: (query, chunkSize) => inner.streamQuery(query, chunkSize),
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(cfg)
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.cfg)
  }
}

function connectSqlite(url: string, options: ConnectOptions): Db {
  const file = url.slice('sqlite:'.length)
  const isMemory = file === ':memory:' || file === ''
  if (!isMemory) mkdirSync(dirname(resolve(file)), { recursive: true })
  const sqlite = openSqlite(isMemory ? ':memory:' : file, BUSY_SLICE_MS)
  sqlite.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`)
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) })
  const beforeClose: Db['beforeClose'] = []
  // The same writer either way; the two differ in how they read and close.
  const base = { kysely, dialect: 'sqlite', url, writePath: 'locked', sqlite, beforeClose } as const
  // An in-memory database exists only on its one connection: reads share it (through Kysely's lock).
  if (isMemory)
    return {
      ...base,
      read: async (q) => (await kysely.executeQuery(q)).rows,
      close: closing(beforeClose, () => kysely.destroy()),
    }
  // Readers never wait for a writer in WAL mode; a long timeout only covers recovery after a crash.
  const reader = openSqlite(file, BUSY_DEADLINE_MS)
  reader.pragma('query_only = ON')
  const readerStatements = withStatementCache(reader)
  const dataVersion = reader.prepare('pragma data_version').pluck()
  return {
    ...base,
    // Each call is its own implicit read transaction: it sees every commit made before it started.
    read: async <R>(q: CompiledQuery<R>) =>
      rowObjects(readerStatements.prepare(q.sql) as SQLite.Statement, q.parameters) as R[],
    dataVersion: () => dataVersion.get() as number,
    close: closing(beforeClose, async () => {
      await kysely.destroy()
      reader.close()
    }),
  }
}

const columnNames = new WeakMap<SQLite.Statement, string[]>()

/**
 * A read's rows as objects, as `all()` answers them, but named here: better-sqlite3 builds each row
 * object through V8's C++ API a property at a time, and reading the rows as arrays and naming their
 * values in JavaScript made the scan lookup (30 columns) ~4 µs of CPU cheaper a request over HTTP.
 * A name that appears twice keeps its last value, as in `all()`.
 */
function rowObjects(statement: SQLite.Statement, parameters: readonly unknown[]): Record<string, unknown>[] {
  const names = columnNames.get(statement) ?? namesOf(statement)
  statement.raw(true)
  let rows: unknown[][]
  try {
    rows = statement.all(parameters as unknown[]) as unknown[][]
  } finally {
    statement.raw(false)
  }
  return rows.map((values) => {
    const row: Record<string, unknown> = {}
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]
    return row
  })
}

function namesOf(statement: SQLite.Statement): string[] {
  const names = statement.columns().map((c) => c.name)
  columnNames.set(statement, names)
  return names
}

function openSqlite(file: string, busyTimeoutMs: number): SQLite.Database {
  const sqlite = new SQLite(file)
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`)
  switchToWal(sqlite)
  sqlite.pragma('foreign_keys = ON')
  // After a checkpoint, shrink the WAL back (a million-unit receipt grows it to ~800 MB otherwise).
  sqlite.pragma('journal_size_limit = 67108864')
  sqlite.pragma('cache_size = -65536')
  return sqlite
}

/**
 * Puts the file in WAL mode. Switching a new file takes a lock that another process opening it at the
 * same moment may hold for a while (its own switch, or its migrations): wait, briefly blocking (this
 * runs once, when a connection opens), until BUSY_DEADLINE_MS.
 */
function switchToWal(sqlite: SQLite.Database): void {
  const deadline = Date.now() + BUSY_DEADLINE_MS
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL')
      return
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw e
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
    }
  }
}

/** Most prepared statements kept per SQLite connection. */
const STATEMENT_CACHE_SIZE = 200
/**
 * Longer SQL (a thousand-row INSERT into `unit`) is prepared each time: its statement is big, and preparing it is
 * cheap next to running it. The ledger writer's thousand-line INSERT into `event_unit` (about 29,000 characters)
 * stays within it: an event of 100,000 units runs it a hundred times, and preparing it each time was ~6 % of
 * a recall's quarantine.
 */
const MAX_CACHED_SQL_LENGTH = 32_000

/**
 * Kysely's SQLite driver prepares every query anew, and parsing and planning a query again costs more
 * than running a point lookup (a sale's dozen statements spent ~0.2 ms preparing). This keeps the most
 * recently used statements, keyed by their SQL text. A statement still being iterated (a streamed
 * query) is never handed out a second time.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase & { prepare(sql: string): SQLite.Statement } {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      if (sql.length > MAX_CACHED_SQL_LENGTH) return sqlite.prepare(sql)
      const cached = cache.get(sql)
      if (cached && !cached.busy) {
        // Most recently used last, so the first key is the one to evict.
        cache.delete(sql)
        cache.set(sql, cached)
        return cached
      }
      const stmt = sqlite.prepare(sql)
      if (!cached) {
        cache.set(sql, stmt)
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
      }
      return stmt
    },
  }
}

/**
 * Most distinct statements kept as named (server-side prepared) statements per pool, and the longest SQL
 * named: a thousand-row INSERT of a receipt is planned in a blink next to running it, and is not kept.
 */
const MAX_NAMED_STATEMENTS = 500
const MAX_NAMED_SQL_LENGTH = 8_000

/**
 * Every statement with parameters runs as a named statement: PostgreSQL parses and plans it once per
 * connection instead of on every run. Planning the scan box's eight joins cost more than running it, and
 * naming every statement took a sale's backend CPU from 3.9 to 2.5 ms (50 clients, a loaded machine).
 */
function statementNames(): (text: string) => string | undefined {
  const names = new Map<string, string>()
  return (text) => {
    if (!names.has(text) && names.size < MAX_NAMED_STATEMENTS && text.length <= MAX_NAMED_SQL_LENGTH)
      names.set(text, `sl_${names.size + 1}`)
    return names.get(text)
  }
}

function connectPostgres(url: string, options: ConnectOptions): Db {
  const nameOf = statementNames()
  const pool = postgresPool(url, options, nameOf)
  const kysely = new Kysely<Database>({ dialect: new LeasedPostgresDialect({ pool }) })
  const replica = options.readUrl
    ? new Kysely<Database>({
        dialect: new PostgresDialect({ pool: postgresPool(options.readUrl, options, statementNames()) }),
      })
    : undefined
  const beforeClose: Db['beforeClose'] = []
  return {
    kysely,
    dialect: 'postgres',
    url,
    writePath: options.writePath ?? DEFAULT_WRITE_PATH,
    read: async <R>(q: CompiledQuery<R>) =>
      (await pool.query({ name: nameOf(q.sql), text: q.sql, values: q.parameters as unknown[] })).rows as R[],
    ...(replica && { replica }),
    beforeClose,
    close: closing(beforeClose, async () => {
      await kysely.destroy()
      await replica?.destroy()
    }),
  }
}

function postgresPool(url: string, options: ConnectOptions, nameOf: (text: string) => string | undefined): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // int8 and numeric come back as strings by default; every bigint we store fits in a double.
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === 20
          ? (v: string) => Number(v)
          : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format),
    } as pg.CustomTypesConfig,
  })
  // Kysely runs `client.query(text, values)`: with values, as a named statement (above). A query of several
  // statements (simple protocol, no values) answers an array of results, and Kysely reads one: answer the
  // last (the sequenced path begins its transaction and takes its seq in one).
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown
    ;(client as { query: unknown }).query = (...args: unknown[]) => {
      const [text, values] = args
      const named = typeof text === 'string' && Array.isArray(values) && values.length > 0 ? nameOf(text) : undefined
      const result = named ? query({ name: named, text, values }) : query(...args)
      return result instanceof Promise ? result.then((r: unknown) => (Array.isArray(r) ? r.at(-1) : r)) : result
    }
  })
  // An idle client can be cut off by the server (restart, admin command); the pool replaces it. Without a
  // listener that error would crash the process.
  pool.on('error', () => {})
  return pool
}
