/**
 * Serial Ledger benchmark suite: `npm run bench` (full sizes, ~15 min on 2 cores) or a subset and a
 * scale, e.g. `npm run bench -- --only receipt --units 200000` (see `npm run bench -- --help`).
 *
 * The machine is assumed noisy, so every figure is measured next to a raw better-sqlite3 baseline doing
 * the same database work in the same run, and reported as a ratio. Results are printed as a table and
 * written to bench/out/results.json.
 *
 *   1 receipt       receiveUnits of a range line (child process, peak RSS) vs raw batched INSERTs
 *   2 http-receipt  one POST /api/v1/receipts with a JSON serials array vs raw INSERTs of the same rows
 *   3 sell          single-unit POST /api/v1/sales at 50 clients vs raw update+insert transactions
 *   4 lookup-http   GET /api/v1/units/lookup at 50 clients vs a bare node:http + indexed lookup server
 *   5 lookup        in-process lookupUnits + unitTimeline p50/p99 vs raw prepared statements
 *   6 proofs        checkpoint, inclusion proof and evidence pack times; HTTP sell with periodic
 *                   checkpoints on vs off (interleaved in one run)
 *   8 count         a blind count of every unit: HTTP scan ingest (single, batches of 100) and the
 *                   reconciliation vs a raw anti-join of the same rows (runs last: it adds events)
 *  10 ageing        the ageing report and markdown recommendations over every unit vs a raw GROUP BY
 *   7 webhooks      feed read and webhook delivery rates on a 1,000,000-event ledger, outbox overhead on sells
 *   9 quality       recall preview, defect analysis and recall quarantine (a tenth of the units) vs plain SQL
 *  10 warranty      warranty lookup and return verification p50/p99 in process and over HTTP vs raw reads;
 *                   public check req/s vs a bare node:http endpoint
 *  11 epcis/labels  EPCIS export and capture of the ledger (serials/s) vs a raw insert of the same rows;
 *                   label PDF of 1,000 units
 *  12 containers    pack 10,000 units into 100 cases on 1 pallet, move the pallet (one event), vs raw
 *                   updates/inserts of the same rows
 *
 * With `--database postgres://…/<new db>` the PostgreSQL suite (bench/postgres.ts) runs instead: P1 receipt,
 * P5 lookup and P3 HTTP sell over 1, 2, 4 server processes (`--instances`), each next to raw `pg`.
 *
 * Benchmarks 2–5 run against the ledger benchmark 1's service run built (built anyway when 1 is not
 * selected). Children (receipt workers, the autocannon load generator) run the compiled JS in
 * dist/bench (compiled here with bench/tsconfig.json), so no TypeScript loader inflates their memory.
 */
import { execFileSync } from 'node:child_process'
import { cpus, tmpdir, totalmem } from 'node:os'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import SQLite from 'better-sqlite3'
import { benchAgeing } from './ageing.js'
import { benchCount } from './count.js'
import { benchEpcis } from './epcis.js'
import { benchQuality } from './quality.js'
import { benchHttpReceipt } from './http-receipt.js'
import { benchLookup } from './lookup.js'
import { benchLookupHttp } from './lookup-http.js'
import { COMPILED_WORKERS } from './lib/child.js'
import type { BenchEnv } from './lib/env.js'
import { parseOptions } from './lib/options.js'
import { renderTable } from './lib/report.js'
import { fmt } from './lib/stats.js'
import { type AppServer, startAppServer } from './lib/server.js'
import { benchReceipt } from './receipt.js'
import { benchPostgres } from './postgres.js'
import { benchProofs } from './proofs.js'
import { benchSell } from './sell.js'
import { benchWebhooks } from './webhooks.js'
import { benchWarranty } from './warranty.js'
import { benchContainers } from './containers.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2))
  const started = Date.now()
  const log = (m: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`)
  log(`compiling bench workers (tsc -p bench/tsconfig.json)`)
  try {
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'bench', 'tsconfig.json')],
      { cwd: ROOT, stdio: 'inherit' },
    )
  } catch {
    // tsc still emits on type errors; the workers are usable unless they failed to emit.
    if (!existsSync(join(COMPILED_WORKERS, 'load.js'))) throw new Error('compiling the bench workers failed')
    log('WARNING: type errors above (the workers were emitted anyway)')
  }

  const dir = mkdtempSync(join(tmpdir(), 'serial-ledger-bench-'))
  const cleanup = () => {
    if (!o.keep) rmSync(dir, { recursive: true, force: true })
  }
  process.once('SIGINT', () => {
    cleanup()
    process.exit(130)
  })
  const env: BenchEnv = { o, dir, ledgerFile: join(dir, 'ledger.db'), rows: [], details: {}, log }
  log(
    o.database
      ? `PostgreSQL suite (${new URL(o.database).host}): ` +
          `${['receipt', 'lookup', 'sell'].filter((b) => o.only.has(b as never)).join(', ')}; ` +
          `ledger ${o.units.toLocaleString('en-US')} units; instances ${o.instances.join(', ')}`
      : `benchmarks: ${[...o.only].join(', ')}; ledger ${o.units.toLocaleString('en-US')} units; ` +
          `SQLite synchronous=${o.synchronous}; temp dir ${dir}`,
  )

  let server: AppServer | undefined
  const contention: Record<string, unknown> = {}
  env.details.cpuContention = contention
  /** Runs one benchmark after a full GC, noting how long other work kept a runnable task off the CPUs meanwhile. */
  const stage = async (name: string, fn: () => Promise<void>) => {
    global.gc?.()
    const before = cpuPressure()
    const t0 = performance.now()
    await fn()
    const seconds = (performance.now() - t0) / 1000
    const after = cpuPressure()
    if (before !== undefined && after !== undefined)
      contention[name] = { seconds, cpuSomePct: (100 * (after - before)) / 1e6 / seconds }
  }
  try {
    // PostgreSQL instead of the SQLite file: its own suite (bench/postgres.ts).
    if (o.database) await stage('postgres', () => benchPostgres(env))
    else {
      await stage(o.only.has('receipt') ? 'receipt' : 'ledger', () =>
        benchReceipt(env, { measure: o.only.has('receipt') }),
      )
      const needsServer = ['http-receipt', 'lookup-http', 'sell', 'proofs', 'count', 'webhooks', 'warranty'].some((b) =>
        o.only.has(b as never),
      )
      if (needsServer) server = await startAppServer(env.ledgerFile, o.synchronous)
      // Reads before the sells, so the lookups see the ledger as received.
      if (o.only.has('http-receipt')) await stage('http-receipt', () => benchHttpReceipt(env, server!))
      if (o.only.has('lookup')) await stage('lookup', () => benchLookup(env))
      if (o.only.has('lookup-http')) await stage('lookup-http', () => benchLookupHttp(env, server!))
      if (o.only.has('warranty')) await stage('warranty', () => benchWarranty(env, server!))
      if (o.only.has('proofs')) await stage('proofs', () => benchProofs(env, server!))
      if (o.only.has('sell')) await stage('sell', () => benchSell(env, server!))
      if (o.only.has('webhooks')) await stage('webhooks', () => benchWebhooks(env, server!))
      if (o.only.has('count')) await stage('count', () => benchCount(env, server!))
      if (o.only.has('quality')) await stage('quality', () => benchQuality(env))
      if (o.only.has('ageing')) await stage('ageing', () => benchAgeing(env))
      // One stage measures both: the label PDF is printed from the same ledger.
      if (o.only.has('epcis') || o.only.has('labels')) await stage('epcis', () => benchEpcis(env))
      if (o.only.has('containers')) await stage('containers', () => benchContainers(env))
    }
  } finally {
    await server?.close()
    cleanup()
  }

  // In benchmark order (they run 1, 2, 5, 4, 3: reads before the sells change the ledger); P1… are PostgreSQL's.
  const order = (bench: string) => Number.parseInt(bench.replace(/^P/, ''))
  env.rows.sort((a, b) => order(a.bench) - order(b.bench))
  const table = renderTable(env.rows)
  const busy = Object.entries(contention).map(
    ([name, c]) => `${name} ${fmt((c as { cpuSomePct: number }).cpuSomePct, 0)}%`,
  )
  console.log(`\n${table}\n`)
  if (busy.length)
    console.log(
      `CPU contention (share of time some task waited for a CPU, PSI; ` +
        `includes this benchmark's own processes): ${busy.join(', ')}\n`,
    )
  const outDir = join(ROOT, 'bench', 'out')
  mkdirSync(outDir, { recursive: true })
  const results = { meta: meta(o, (Date.now() - started) / 1000), rows: env.rows, details: env.details, table }
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  log(`results written to bench/out/results.json${o.keep ? `; databases kept in ${dir}` : ''}`)
  const missed = env.rows.filter((r) => r.pass === false)
  if (missed.length) log(`targets missed: ${missed.map((r) => `${r.bench} / ${r.metric}`).join('; ')}`)
}

function meta(o: ReturnType<typeof parseOptions>, seconds: number) {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return undefined
    }
  }
  const mem = new SQLite(':memory:')
  const sqliteVersion = mem.prepare('select sqlite_version() as v').pluck().get()
  mem.close()
  return {
    date: new Date().toISOString(),
    totalSeconds: seconds,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    memoryGb: totalmem() / 2 ** 30,
    sqlite: sqliteVersion,
    betterSqlite3: (require('better-sqlite3/package.json') as { version: string }).version,
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: (git(['status', '--porcelain', '--', 'src']) ?? '') !== '',
    options: { ...o, only: [...o.only] },
    sqliteSettings:
      `file database, journal_mode=WAL, synchronous=${o.synchronous} (the default config), ` +
      `cache_size=-65536, foreign_keys=ON — the project's connect()`,
  }
}

/** Microseconds some runnable task waited for a CPU since boot (Linux PSI), undefined where unavailable. */
function cpuPressure(): number | undefined {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
