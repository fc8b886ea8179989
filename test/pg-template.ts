import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { connect, migrateToLatest } from '../src/db/connect.js'
import { migrationProvider } from '../src/db/migrations/index.js'

/*
 * PostgreSQL test databases are copies of one migrated template (`CREATE DATABASE … TEMPLATE`), which is
 * cheaper than migrating each one. The template is named after a hash of the migrations (their names
 * and files), so a new or edited migration gets a new template; the first test process to need it builds it
 * under an advisory lock while the others wait, and drops the templates of other migrations once they are
 * an hour old. A test run whose template was dropped meanwhile (by a run on another branch) builds it again.
 */

/** Prefix of every template database; anything else with it is stale and may be dropped. */
const PREFIX = 'sl_tpl_'
/** Serialises building and dropping templates across every test process on this server. */
const LOCK = `select pg_advisory_lock(hashtext('serial-ledger test template'))`
/** SQLSTATE 55006: the database is in use (copying or renaming needs it to have no sessions). */
const IN_USE = '55006'
/** SQLSTATE 3D000: the database does not exist. */
const MISSING = '3D000'

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
const sqlState = (e: unknown) => (e as { code?: string }).code

const MIGRATIONS_DIR = new URL('../src/db/migrations/', import.meta.url)

/** `sl_tpl_` and a hash of every migration's name and source file (as on disk, whatever runs the tests). */
async function templateName(): Promise<string> {
  const hash = createHash('sha256')
  for (const name of Object.keys(await migrationProvider.getMigrations())) {
    const file = new URL(`${name}.ts`, MIGRATIONS_DIR)
    hash.update(`${name}\n${existsSync(file) ? readFileSync(file, 'utf8') : ''}\n`)
  }
  // What the migrations import (their idempotence helpers) shapes the schema too.
  hash.update(readFileSync(new URL('once.ts', MIGRATIONS_DIR), 'utf8'))
  return `${PREFIX}${hash.digest('hex').slice(0, 16)}`
}

async function withClient<R>(url: string, fn: (c: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/**
 * Runs `statement`, retrying for up to 5 s while the database it copies or renames still has a session
 * (a closed connection's backend can outlive the close by a moment).
 */
async function whenUnused(client: pg.Client, statement: string): Promise<void> {
  for (let waited = 0; ; waited += 50) {
    try {
      await client.query(statement)
      return
    } catch (e) {
      if (sqlState(e) !== IN_USE || waited >= 5000) throw e
      await sleep(50)
    }
  }
}

/**
 * A stale template younger than this is left alone: a test run on other migrations (another branch, on
 * the same server) may be copying it. Older ones are dropped by the next build.
 */
const KEEP_STALE_MS = 60 * 60_000

/** Drops the templates of other migrations built over an hour ago, and any half-built one. */
async function dropStale(admin: pg.Client, building: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string; built: string | null }>(
    `select datname, shobj_description(oid, 'pg_database') as built from pg_database where starts_with(datname, $1)`,
    [PREFIX],
  )
  for (const { datname, built } of rows) {
    // Under the lock nobody is building, so a database still named *_building was left by a killed run.
    const isRecent = Date.now() - Number(built) < KEEP_STALE_MS
    if (datname === building) await admin.query(`drop database ${datname} with (force)`)
    else if (!isRecent) await admin.query(`drop database if exists ${datname}`).catch(() => {}) // in use: next time
  }
}

/** Builds the template for the current migrations unless it exists; drops stale ones. Returns its name. */
async function buildTemplate(adminUrl: string): Promise<string> {
  const name = await templateName()
  return withClient(adminUrl, async (admin) => {
    await admin.query(LOCK) // released when this session ends
    const exists = await admin.query(`select 1 from pg_database where datname = $1`, [name])
    if (exists.rowCount) return name
    // Built under another name and renamed when complete, so no process ever copies a half-migrated one.
    const building = `${name}_building`
    await dropStale(admin, building)
    await admin.query(`create database ${building}`)
    await admin.query(`comment on database ${building} is '${Date.now()}'`) // when it was built, for dropStale
    const url = new URL(adminUrl)
    url.pathname = `/${building}`
    const db = connect(url.toString())
    try {
      await migrateToLatest(db)
    } finally {
      await db.close()
    }
    await whenUnused(admin, `alter database ${building} rename to ${name}`)
    return name
  })
}

let template: Promise<string> | undefined

/** Creates database `name` as a copy of the migrated template (built first if need be). */
export async function createFromTemplate(adminUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const from = await (template ??= buildTemplate(adminUrl))
    try {
      return await withClient(adminUrl, (admin) => whenUnused(admin, `create database ${name} template ${from}`))
    } catch (e) {
      // Dropped by a test run on other migrations since this process looked: build it again.
      if (sqlState(e) !== MISSING || attempt >= 3) throw e
      template = undefined
    }
  }
}
