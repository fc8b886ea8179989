import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { systemClock } from '../../src/core/clock.js'
import type { Db } from '../../src/db/connect.js'
import { createToken, createUser, type Principal } from '../../src/modules/accounts/index.js'
import { TRANSITIONS, type UnitEventType, type UnitStatus } from '../../src/modules/units/unit-status.rules.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** A child Node process running a script of this folder under tsx, with its output collected. */
export interface Child {
  proc: ChildProcess
  /** stdout and stderr so far, for failure messages. */
  output(): string
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function spawnScript(script: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // stdin stays open while this process lives: the server child exits when it closes (a killed test run).
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return { proc, output: () => out, exited }
}

export interface ServerProcess extends Child {
  url: string
  /** SIGKILL: no shutdown hook, no graceful close, exactly like a power cut of the process. */
  kill(): Promise<void>
  /** SIGTERM and wait. */
  stop(): Promise<void>
}

/** Starts test/reliability/server-process.ts on `databaseUrl` and waits until it listens. */
export async function startServerProcess(
  databaseUrl: string,
  timeoutMs = 30_000,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  // Its own checkpoint key and witness (unless `env` names shared ones), never the ./data of the checkout.
  const keys = mkdtempSync(join(tmpdir(), 'sl-server-keys-'))
  const child = spawnScript('./server-process.ts', {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    SERIAL_LEDGER_SIGNING_KEY: join(keys, 'signing-key.pem'),
    SERIAL_LEDGER_WITNESS: join(keys, 'witness'),
    ...env,
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${child.output()}`)),
      timeoutMs,
    )
    const onData = () => {
      const m = /LISTENING (\S+)/.exec(child.output())
      if (m) {
        clearTimeout(timer)
        child.proc.stdout!.off('data', onData)
        resolve(m[1]!)
      }
    }
    child.proc.stdout!.on('data', onData)
    void child.exited.then((e) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${e.code ?? e.signal}) before listening:\n${child.output()}`))
    })
  })
  const end = async (signal: NodeJS.Signals) => {
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill(signal)
    await child.exited
  }
  return { ...child, url, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') }
}

/** Creates an admin user and an API token for it directly in the database; returns the token. */
export async function adminToken(db: Db, username = 'reliability-admin'): Promise<string> {
  const ctx = { db, clock: systemClock }
  await createUser(ctx, 'test-setup', { username, password: 'correct-horse-battery', role: 'admin', locations: [] })
  const setup = { actor: 'test-setup', username: 'test-setup' } as Principal
  return (await createToken(ctx, setup, { name: 'reliability', scope: 'admin', username })).token
}

export interface HttpReply {
  status: number
  headers: Headers
  body: any
  /** Milliseconds from sending to the full body. */
  ms: number
}

/** A JSON client for a listening server, acting with a bearer token. */
export function httpClient(baseUrl: string, token: string) {
  async function request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<HttpReply> {
    const started = performance.now()
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal,
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON: keep the text for the failure message
    }
    return { status: res.status, headers: res.headers, body: parsed, ms: performance.now() - started }
  }
  return {
    baseUrl,
    get: (path: string) => request('GET', path),
    post: (path: string, body: unknown, headers?: Record<string, string>, signal?: AbortSignal) =>
      request('POST', path, body, headers, signal),
  }
}

/**
 * Whether another connection has a write to the ledger in flight right now (uncommitted), proof that a
 * command's transaction is open:
 * - SQLite: another connection holds the write lock (a `begin immediate` that does not wait fails with
 *   SQLITE_BUSY);
 * - PostgreSQL, locked path: another connection holds the row lock on `ledger_head` (`for update nowait`
 *   fails with 55P03), which every command takes first;
 * - PostgreSQL, sequenced path: commands take no lock that all share, so look for another backend's
 *   open transaction that has written to `unit` or `event_unit` (it holds their RowExclusiveLock until it
 *   ends; the sequencer, the only other writer, touches neither).
 */
export async function ledgerWriteInFlight(db: Db): Promise<boolean> {
  if (db.dialect === 'sqlite') {
    const probe = new SQLite(db.url.slice('sqlite:'.length), { timeout: 0 })
    try {
      probe.exec('begin immediate')
      probe.exec('rollback')
      return false
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') return true
      throw e
    } finally {
      probe.close()
    }
  }
  if (db.writePath === 'sequenced') {
    const r = await sql<{ writing: boolean }>`
      select exists (
        select 1 from pg_locks l join pg_class c on c.oid = l.relation
        where l.database = (select oid from pg_database where datname = current_database())
          and c.relname in ('unit', 'event_unit') and l.mode = 'RowExclusiveLock' and l.granted
          and l.pid <> pg_backend_pid()
      ) as writing`.execute(db.kysely)
    return r.rows[0]!.writing
  }
  try {
    await db.kysely.transaction().execute(async (trx) => {
      await sql`select seq from ledger_head where id = 1 for update nowait`.execute(trx)
    })
    return false
  } catch (e) {
    if ((e as { code?: string }).code === '55P03') return true
    throw e
  }
}

/** Waits until no committed event is without its place in the log (the sequencer placed them all). */
export async function allPlaced(db: Db, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'the sequencer to place every committed event',
    async () => !(await db.kysely.selectFrom('event').select('seq').where('log_pos', 'is', null).executeTakeFirst()),
    timeoutMs,
    20,
  )
}

/** Polls `check` every `everyMs` until it is true; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/**
 * CPU time (user + system, ms) a child process has used so far, from /proc (Linux); undefined elsewhere.
 * Work done by a busy server, unlike wall time, does not depend on what else the machine is running.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return undefined
  }
}
/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100

/**
 * Replays every unit's events in ledger order through the state machine: the status each unit ends in,
 * the units sold again without a return in between, and every other illegal transition.
 */
export async function replayUnitLines(db: Db) {
  const lines = await db.kysely
    .selectFrom('event_unit as l')
    .innerJoin('event as e', 'e.seq', 'l.event_seq')
    .select(['l.unit_id', 'e.type', 'e.seq'])
    .orderBy('l.unit_id')
    .orderBy('e.seq')
    .execute()
  const status = new Map<string, UnitStatus>()
  const soldSinceReturn = new Map<string, number>()
  const doubleSales: string[] = []
  const illegal: string[] = []
  for (const { unit_id: id, type, seq } of lines) {
    const t = TRANSITIONS[type as UnitEventType]
    const now = status.get(id)
    if (type === 'sold') {
      if ((soldSinceReturn.get(id) ?? 0) > 0) doubleSales.push(`${id} sold again at event ${seq}`)
      soldSinceReturn.set(id, 1)
    } else if (type === 'returned') soldSinceReturn.set(id, 0)
    if (type === 'received' ? now !== undefined : !now || !t.from.includes(now))
      illegal.push(`${id}: ${type} at event ${seq} from ${now ?? 'nothing'}`)
    status.set(id, t.to === 'same' ? now! : t.to)
  }
  return { lines, status, doubleSales, illegal }
}
