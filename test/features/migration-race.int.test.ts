/*
 * Two `serve` processes started at the same moment on a new database: both must come up, the
 * migrations run once (the second process waits for the first one's lock, the lease row on PostgreSQL,
 * and then finds nothing to do) and the first admin is created once. A real race between two
 * processes, several rounds per dialect, on a fresh SQLite file and a fresh, empty PostgreSQL database
 * each round.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { connect } from '../../src/db/connect.js'
import { migrationProvider } from '../../src/db/migrations/index.js'
import { DIALECTS, emptyDatabase } from '../dialects.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./serve-process.ts', import.meta.url))
const ROUNDS = 4

interface Child {
  proc: ChildProcess
  output(): string
  ready: Promise<void>
  exited: Promise<number | null>
}

function startChild(databaseUrl: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let out = ''
  let onReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d
    if (out.includes('READY')) onReady()
  })
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  return { proc, output: () => out, ready, exited }
}

/** Starts two server processes, releases both at once, and waits for both to end. */
async function raceTwoServers(databaseUrl: string): Promise<{ codes: (number | null)[]; outputs: string[] }> {
  const children = [startChild(databaseUrl), startChild(databaseUrl)]
  await Promise.race([
    Promise.all(children.map((c) => c.ready)),
    Promise.all(children.map((c) => c.exited)).then(() => {
      throw new Error(`a child ended before it was ready:\n${children.map((c) => c.output()).join('\n')}`)
    }),
  ])
  for (const c of children) c.proc.stdin!.write('GO\n')
  const codes = await Promise.all(children.map((c) => c.exited))
  return { codes, outputs: children.map((c) => c.output()) }
}

/** What both processes must leave behind: every migration recorded once, one first admin. */
async function expectMigratedOnce(databaseUrl: string): Promise<void> {
  const db = connect(databaseUrl)
  try {
    const names = Object.keys(await migrationProvider.getMigrations())
    const applied = await db.kysely
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute()
    expect((applied as { name: string }[]).map((r) => r.name).sort()).toEqual([...names].sort())
    const users = await db.kysely.selectFrom('app_user').select('username').execute()
    expect(users).toEqual([{ username: 'admin' }])
  } finally {
    await db.close()
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: two servers starting at once on a new database`, () => {
    it(`both start, the migrations run once and the first admin is created once (${ROUNDS} rounds)`, async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        const db = await emptyDatabase(dialect.name)
        try {
          const { codes, outputs } = await raceTwoServers(db.url)
          expect(codes, `round ${round}:\n${outputs.join('\n---\n')}`).toEqual([0, 0])
          for (const out of outputs) expect(out).toContain('STARTED')
          await expectMigratedOnce(db.url)
        } finally {
          await db.drop()
        }
      }
    }, 180_000)
  })
}
