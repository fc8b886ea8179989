import { join } from 'node:path'
import { type ChildRun, runWorker } from './lib/child.js'
import type { BenchEnv } from './lib/env.js'
import { rateRow, timeRow } from './lib/report.js'
import { fmt, mb, mean } from './lib/stats.js'
import type { ReceiptInput, ReceiptOutput } from './workers/receipt-service.js'

const RSS_LIMIT_MB = 300

/**
 * Benchmark 1: receipt of N serials (a range line) through `receiveUnits`, in a child process of its
 * own, next to a raw better-sqlite3 batched insert of the same rows in another child (before and after
 * the service run, averaged). The service run's database is kept as the ledger for benchmarks 2–5.
 */
export async function benchReceipt(env: BenchEnv, options: { measure: boolean }): Promise<void> {
  const { o } = env
  const input = (file: string): ReceiptInput => ({ dbFile: file, units: o.units, synchronous: o.synchronous })
  const nodeArgs = cpuProfArgs()
  const raws: ChildRun<ReceiptOutput>[] = []
  const rawRun = async (i: number) => {
    env.log(`receipt: raw better-sqlite3 insert of ${fmt(o.units)} units (run ${i})`)
    const r = await runWorker<ReceiptInput, ReceiptOutput>('receipt-raw', input(join(env.dir, `raw-receipt-${i}.db`)), {
      nodeArgs,
    })
    env.log(`receipt: raw run ${i}: ${fmt(r.result.seconds)} s, peak RSS ${fmt(mb(r.peakRssBytes))} MB`)
    raws.push(r)
  }
  if (options.measure) await rawRun(1)
  env.log(
    `receipt: service receiveUnits of ${fmt(o.units)} units (range line)` +
      `${options.measure ? '' : ' — building the ledger only'}`,
  )
  const service = await runWorker<ReceiptInput, ReceiptOutput>('receipt-service', input(env.ledgerFile), { nodeArgs })
  env.log(`receipt: service: ${fmt(service.result.seconds)} s, peak RSS ${fmt(mb(service.peakRssBytes))} MB`)
  if (!options.measure) {
    env.details.ledger = { units: o.units, buildSeconds: service.result.seconds, peakRssMb: mb(service.peakRssBytes) }
    return
  }
  if (o.rawTwice) await rawRun(2)

  const rawSeconds = mean(raws.map((r) => r.result.seconds))
  const s = service.result
  const bench = `1 receipt ${fmt(o.units / 1000, 0)}k (SQLite file, sync ${o.synchronous})`
  env.rows.push(
    timeRow({ bench, metric: 'time', unit: 's', service: s.seconds, raw: rawSeconds }),
    rateRow({ bench, metric: 'rate', unit: 'units/s', service: o.units / s.seconds, raw: o.units / rawSeconds }, 1 / 3),
    {
      bench,
      metric: 'peak RSS',
      unit: 'MB',
      service: mb(service.peakRssBytes),
      raw: mean(raws.map((r) => mb(r.peakRssBytes))),
      target: `< ${RSS_LIMIT_MB} MB`,
      pass: mb(service.peakRssBytes) < RSS_LIMIT_MB,
      note:
        `child process per side; RSS before the receipt was ${fmt(mb(s.rssBeforeBytes))} MB ` +
        `(node + modules + schema); raw runs ${raws.map((r) => fmt(r.result.seconds)).join(' s and ')} s`,
    },
  )
  env.details.receipt = {
    units: o.units,
    pragmas: s.pragmas,
    service: {
      seconds: s.seconds,
      unitsPerSecond: o.units / s.seconds,
      peakRssMb: mb(service.peakRssBytes),
      rssBeforeMb: mb(s.rssBeforeBytes),
      dbMb: mb(s.dbBytes),
      walMb: mb(s.walBytes),
    },
    raw: raws.map((r) => ({
      seconds: r.result.seconds,
      unitsPerSecond: o.units / r.result.seconds,
      peakRssMb: mb(r.peakRssBytes),
      dbMb: mb(r.result.dbBytes),
      ...r.result.detail,
    })),
    ratio: rawSeconds / s.seconds,
  }
}

/** BENCH_CPU_PROF=<dir> makes the receipt children write V8 CPU profiles there. */
function cpuProfArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : []
}
