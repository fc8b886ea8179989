/**
 * Node CPU per HTTP sale in ONE server process on PostgreSQL (the sequenced write path), the figure to
 * optimise on a machine whose cores the server, its backends and the load generator share: far less
 * sensitive to the machine's load than req/s.
 *
 *   node --import tsx bench/sale-cpu.ts [--database postgres://postgres@127.0.0.1:5432/<new db>]
 *     [--sells 2000] [--warmup 500] [--clients 10] [--runs 3] [--instances 1] [--profile <dir>] [--logger]
 *     [--no-build] [--baseline <copy of dist>]
 *
 * It creates the database (a fresh name: it refuses one that exists), migrates and seeds it, receives
 * runs × (warmup + sells) units, and makes a clerk's API token. Each run starts one server process
 * (bench/workers/app-server.ts, compiled, as `serve` runs it, checkpoints off), sells `warmup` units over
 * HTTP, reads the server's process.cpuUsage() (over IPC), sells `sells` more distinct units at `clients`
 * clients (autocannon in its own process, one unit a request), reads it again and prints user+sys CPU per
 * successful sale; then the median over the runs. With --instances N, N server processes share one
 * database, each with its own load worker of `clients` clients (the sales split evenly), and their CPU
 * and sequencer passes (busy ones apart: another instance held the head lock) are summed. With --profile,
 * one more run takes a CPU profile of the measured stretch (node:inspector; of the first instance) into
 * <dir>/sale-<time>.cpuprofile (its CPU is reported apart: the profiler adds to it);
 * bench/cpuprofile-top.ts sums its self time by function. The database is dropped at the end unless
 * --keep. After each warm-up the database is analyzed, as autovacuum would have by then.
 *
 * The figure still moves with the machine's load (caches and cores shared with others), so to compare a
 * change, copy the compiled tree first (`cp -r dist scratch/dist-base`, inside the repo so node_modules
 * resolves), make the change, and run with --baseline scratch/dist-base: runs of the two servers
 * alternate, the baseline's on a copy of the database made after the setup, and each gets its median.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { systemClock } from '../src/core/clock.js'
import { connect, migrateToLatest } from '../src/db/connect.js'
import { createToken, createUser, type Principal } from '../src/modules/accounts/index.js'
import { parseCommand, runOperation } from '../src/modules/operations/index.js'
import { receive } from '../src/modules/receiving/index.js'
import { runWorker } from './lib/child.js'
import {
  ACTOR,
  ledgerRanges,
  ledgerSellPlan,
  seedReferenceData,
  serialWidth,
  SITE,
  SKU,
  SUPPLIER,
} from './lib/fixtures.js'
import { type Instances, startInstances } from './lib/instances.js'
import { fmt } from './lib/stats.js'
import type { AppServerAnswer, AppServerProbe } from './workers/app-server.js'
import type { LoadInput, LoadOutput } from './workers/load.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const { values: args } = parseArgs({
  options: {
    database: { type: 'string', default: `postgres://postgres@127.0.0.1:5432/sale_cpu_${process.pid}` },
    sells: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '500' },
    clients: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    instances: { type: 'string', default: '1' },
    profile: { type: 'string' },
    baseline: { type: 'string' },
    logger: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
})
const sells = Number(args.sells)
const warmup = Number(args.warmup)
const clients = Number(args.clients)
const runs = Number(args.runs)
const instanceCount = Number(args.instances)
const started = Date.now()
const log = (m: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`)

interface CpuRun {
  ok: number
  non2xx: number
  errors: number
  seconds: number
  rps: number
  /** Server user+system CPU over the measured sales, per successful sale (ms). */
  cpuMsPerSale: number
  userMsPerSale: number
  systemMsPerSale: number
  /** Sequencer passes the servers ran over the measured sales, per sale. */
  sequencerPassesPerSale: number
  /** Of them, passes that found another instance's pass holding the head lock, per sale. */
  busyPassesPerSale: number
}

async function analyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('analyze')
  } finally {
    await client.end()
  }
}

/** Asks a server process for its CPU (or to start / stop a profile) and waits for its answer. */
function probe(child: Instances['processes'][number], message: AppServerProbe): Promise<AppServerAnswer> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (m && typeof m === 'object' && (m as AppServerAnswer).probe === message.probe) {
        child.off('message', onMessage)
        resolve(m as AppServerAnswer)
      }
    }
    child.on('message', onMessage)
    child.send(message)
  })
}

async function main(): Promise<void> {
  if (!args['no-build']) {
    log('compiling bench workers (tsc -p bench/tsconfig.json)')
    const require = createRequire(import.meta.url)
    try {
      execFileSync(
        process.execPath,
        [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'bench', 'tsconfig.json')],
        {
          cwd: ROOT,
          stdio: 'inherit',
        },
      )
    } catch {
      log('WARNING: type errors above (the workers were emitted anyway)')
    }
  }
  const url = args.database
  const name = new URL(url).pathname.slice(1)
  const adminUrl = new URL(url)
  adminUrl.pathname = '/postgres'
  const admin = new pg.Client({ connectionString: adminUrl.toString() })
  await admin.connect()
  const dir = mkdtempSync(join(tmpdir(), 'sale-cpu-'))
  const total =
    (runs * (args.baseline ? 2 : 1) + (args.profile ? 1 : 0)) * instanceCount * (warmup + sells + 2 * clients)
  const width = serialWidth(total)
  let created = false
  let createdBase = false
  const baseUrlOf = new URL(url)
  baseUrlOf.pathname = `/${name}_base`
  const baseUrl = baseUrlOf.toString()
  try {
    if ((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount)
      throw new Error(`database ${name} already exists: name a fresh one in --database`)
    await admin.query(`create database ${name}`)
    created = true
    const db = connect(url, { poolSize: 4 })
    const ctx = { db, clock: systemClock }
    let headers: Record<string, string>
    try {
      await migrateToLatest(db)
      await seedReferenceData(ctx)
      log(`receiving ${fmt(total)} units into ${name}`)
      const cmd = parseCommand(receive, {
        supplier: SUPPLIER,
        location: SITE,
        number: 'RCV-SALE-CPU',
        lines: ledgerRanges(total).map((range) => ({ sku: SKU, range })),
      })
      await runOperation(ctx, receive, { actor: ACTOR, request: {} }, cmd)
      const username = 'bench-clerk'
      await createUser(ctx, 'bench-setup', { username, password: 'bench-password-not-secret', role: 'clerk' })
      const setup = { actor: 'bench-setup', username: 'bench-setup' } as Principal
      const { token } = await createToken(ctx, setup, { name: 'bench', scope: 'write', username })
      headers = { authorization: `Bearer ${token}` }
      await sql`analyze`.execute(db.kysely)
    } finally {
      await db.close()
    }
    if (args.baseline) {
      // The baseline server gets a copy of the database, as its own migrations know it (one this tree
      // added is forgotten, its tables left: the baseline refuses a database with a migration it lacks).
      await admin.query(`create database ${name}_base template ${name}`)
      createdBase = true
      const index = resolve(args.baseline, 'src', 'db', 'migrations', 'index.js')
      const { migrationProvider } = (await import(pathToFileURL(index).href)) as {
        migrationProvider: { getMigrations(): Promise<Record<string, unknown>> }
      }
      const known = Object.keys(await migrationProvider.getMigrations())
      const base = new pg.Client({ connectionString: baseUrl })
      await base.connect()
      const { rowCount } = await base.query('delete from kysely_migration where name <> all($1)', [known])
      await base.end()
      log(`baseline database ${name}_base (a copy; ${rowCount} migration(s) of this tree forgotten there)`)
    }

    let next = 1
    const sell = async (origin: string, amount: number) => {
      const perClient = Math.ceil(amount / clients)
      const firstIndex = next
      next += perClient * clients
      const { result } = await runWorker<LoadInput, LoadOutput>('load', {
        origin,
        connections: clients,
        amount,
        maxSeconds: 600,
        headers,
        plan: ledgerSellPlan(width, firstIndex, perClient),
      })
      return result
    }
    const env = { LEDGER_WRITE_PATH: 'sequenced', ...(args.logger ? { BENCH_SERVER_LOGGER: '1' } : {}) }
    // The server runs as `serve` does: plain node, no TypeScript loader (its source maps make stacks dearer).
    const current = { execArgv: [] as string[] }
    const baseline = args.baseline
      ? { execArgv: [] as string[], script: resolve(args.baseline, 'bench', 'workers', 'app-server.js') }
      : undefined
    // Each instance gets its own load worker, all at once, with `amount` sales between them.
    const sellOverAll = async (origins: string[], amount: number) => {
      const rs = await Promise.all(origins.map((origin) => sell(origin, Math.ceil(amount / origins.length))))
      const sum = (k: 'ok' | 'non2xx' | 'errors') => rs.reduce((s, r) => s + r[k], 0)
      const seconds = Math.max(...rs.map((r) => r.seconds))
      return { ok: sum('ok'), non2xx: sum('non2xx'), errors: sum('errors'), seconds, rps: sum('ok') / seconds }
    }
    const measure = async (label: string, server: typeof current, profileFile?: string): Promise<CpuRun> => {
      const instances = await startInstances(server === current ? url : baseUrl, instanceCount, dir, env, server)
      try {
        const children = instances.processes
        const warm = await sellOverAll(instances.origins, warmup)
        if (warm.ok === 0) throw new Error(`warm-up sales all failed (${warm.non2xx} non-2xx, ${warm.errors} errors)`)
        // As autovacuum would have by now: the statements were planned on a nearly empty event table, and
        // PostgreSQL keeps those plans until its statistics change (bench/postgres.ts, ANALYZE_AFTER_WARMUP).
        await analyze(server === current ? url : baseUrl)
        // A profile is of the first instance only; the others report their CPU.
        const probeAll = (first: AppServerProbe) =>
          Promise.all(children.map((child, i) => probe(child, i === 0 ? first : { probe: 'cpu' })))
        const before = await probeAll(profileFile ? { probe: 'profile-start' } : { probe: 'cpu' })
        const r = await sellOverAll(instances.origins, sells)
        const after = await probeAll(profileFile ? { probe: 'profile-stop', file: profileFile } : { probe: 'cpu' })
        const total = (f: (a: AppServerAnswer) => number) => after.reduce((s, a, i) => s + f(a) - f(before[i]!), 0)
        const user = total((a) => a.cpu.user) / 1000 / r.ok
        const system = total((a) => a.cpu.system) / 1000 / r.ok
        const run = {
          ok: r.ok,
          non2xx: r.non2xx,
          errors: r.errors,
          seconds: r.seconds,
          rps: r.rps,
          cpuMsPerSale: user + system,
          userMsPerSale: user,
          systemMsPerSale: system,
          sequencerPassesPerSale: total((a) => a.sequencer?.passes ?? 0) / r.ok,
          busyPassesPerSale: total((a) => a.sequencer?.busy ?? 0) / r.ok,
        }
        log(
          `${label}: ${fmt(run.cpuMsPerSale, 3)} ms CPU a sale (user ${fmt(user, 3)}, sys ${fmt(system, 3)}); ` +
            `${r.ok} sales in ${fmt(r.seconds)} s (${fmt(r.rps)} req/s), non-2xx ${r.non2xx}, errors ${r.errors}; ` +
            `${fmt(run.sequencerPassesPerSale, 2)} sequencer passes a sale (${fmt(run.busyPassesPerSale, 2)} busy)`,
        )
        return run
      } finally {
        await instances.close()
      }
    }
    const measured: CpuRun[] = []
    const measuredBaseline: CpuRun[] = []
    for (let i = 1; i <= runs; i++) {
      // With a baseline the two alternate, each going first every other run (the machine's load drifts).
      const one = () => measure(`run ${i}/${runs}${baseline ? ', this tree' : ''}`, current)
      const other = () => measure(`run ${i}/${runs}, baseline ${args.baseline}`, baseline!)
      if (!baseline) measured.push(await one())
      else if (i % 2 === 1) {
        measured.push(await one())
        measuredBaseline.push(await other())
      } else {
        measuredBaseline.push(await other())
        measured.push(await one())
      }
    }
    const summary = (name: string, rs: CpuRun[]) => {
      const sorted = rs.map((r) => r.cpuMsPerSale).sort((a, b) => a - b)
      log(
        `${name}: server CPU per sale, median of ${rs.length}: ${fmt(sorted[Math.floor(sorted.length / 2)]!, 3)} ms ` +
          `(runs ${rs.map((r) => fmt(r.cpuMsPerSale, 3)).join(', ')}); ${sells} sales a run at ${clients} clients` +
          `${instanceCount > 1 ? ` an instance, ${instanceCount} instances (their CPU summed)` : ''}, ` +
          `sequenced path${args.logger ? ', request log on' : ''}`,
      )
    }
    summary('this tree', measured)
    if (baseline) summary(`baseline ${args.baseline}`, measuredBaseline)
    if (args.profile) {
      mkdirSync(args.profile, { recursive: true })
      const file = resolve(args.profile, `sale-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`)
      await measure('profiled run (the profiler adds to its CPU)', current, file)
      log(`profile: ${file} (node --import tsx bench/cpuprofile-top.ts ${file})`)
    }
  } finally {
    if (created && !args.keep) await admin.query(`drop database if exists ${name} with (force)`)
    if (createdBase && !args.keep) await admin.query(`drop database if exists ${name}_base with (force)`)
    await admin.end()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
