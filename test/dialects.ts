import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { connect, type Db, migrateToLatest, type WritePath } from '../src/db/connect.js'
import { createFromTemplate } from './pg-template.js'

/**
 * The databases every storage test runs on. SQLite always; PostgreSQL when TEST_POSTGRES_URL is set
 * (CI sets it, and then an unreachable server fails the run) or when one answers on 127.0.0.1:5432.
 */
export interface Dialect {
  name: 'sqlite' | 'postgres'
  /** The name in test titles: the dialect, and `(locked)` for PostgreSQL on the locked write path. */
  label: string
  /**
   * A fresh, migrated, empty database: SQLite migrates it (`file` asks for a file instead of :memory:),
   * PostgreSQL copies a migrated template database (test/pg-template.ts).
   */
  create(options?: { file?: boolean }): Promise<TestDb>
}

export interface TestDb extends Db {
  /** Another connection to the same database (a second server instance, a CLI process). */
  reopen(): Db
  drop(): Promise<void>
}

const requiredPgUrl = process.env.TEST_POSTGRES_URL
const pgUrl = requiredPgUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres'

async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 1500 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch (e) {
    if (requiredPgUrl)
      throw new Error(`TEST_POSTGRES_URL is set but PostgreSQL is unreachable: ${(e as Error).message}`, { cause: e })
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

const sqlite: Dialect = {
  name: 'sqlite',
  label: 'sqlite',
  async create(options = {}) {
    const dir = options.file ? mkdtempSync(join(tmpdir(), 'sl-test-')) : undefined
    const url = dir ? `sqlite:${join(dir, 'test.db')}` : 'sqlite::memory:'
    const db = connect(url)
    await migrateToLatest(db)
    return {
      ...db,
      reopen: () => connect(url),
      drop: async () => {
        await db.close()
        if (dir) rmSync(dir, { recursive: true, force: true })
      },
    }
  },
}

const postgresWith = (writePath?: WritePath): Dialect => ({
  name: 'postgres',
  label: writePath === 'locked' ? 'postgres (locked)' : 'postgres',
  async create() {
    const name = `sl_test_${randomBytes(6).toString('hex')}`
    await createFromTemplate(pgUrl, name)
    const url = new URL(pgUrl)
    url.pathname = `/${name}`
    const db = connect(url.toString(), { writePath })
    return {
      ...db,
      reopen: () => connect(url.toString(), { writePath }),
      drop: async () => {
        await db.close()
        const c = new pg.Client({ connectionString: pgUrl })
        await c.connect()
        await c.query(`drop database if exists ${name} with (force)`)
        await c.end()
      },
    }
  },
})
const postgres = postgresWith()

const hasPostgres = await postgresAvailable()
if (!hasPostgres && !process.env.SL_QUIET_SKIP) {
  process.env.SL_QUIET_SKIP = '1'
  console.warn(
    'PostgreSQL not reachable on 127.0.0.1:5432 and TEST_POSTGRES_URL unset: ' +
      'PostgreSQL tests are SKIPPED; SQLite tests run.',
  )
}

export const DIALECTS: Dialect[] = hasPostgres ? [sqlite, postgres] : [sqlite]

/** PostgreSQL on the sequenced write path, whatever the default (the sequenced path's own tests). */
export const SEQUENCED_POSTGRES: Dialect | undefined = hasPostgres ? postgresWith('sequenced') : undefined

/** A new, empty database (nothing migrated): a new SQLite file, or a new PostgreSQL database (no template). */
export async function emptyDatabase(dialect: Dialect['name']): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sl-empty-'))
    return { url: `sqlite:${join(dir, 'new.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `sl_empty_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: pgUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(pgUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

/** PostgreSQL on the locked write path, still an option (`LEDGER_WRITE_PATH=locked`) after the default moved. */
export const LOCKED_POSTGRES: Dialect | undefined = hasPostgres ? postgresWith('locked') : undefined

/** DIALECTS and PostgreSQL on the locked path too: for tests whose meaning differs by write path. */
export const DIALECTS_AND_PATHS: Dialect[] = LOCKED_POSTGRES ? [...DIALECTS, LOCKED_POSTGRES] : DIALECTS
