import type { BenchEnv } from './lib/env.js'
import { runWorker } from './lib/child.js'
import { LEDGER_PREFIX, serialWidth } from './lib/fixtures.js'
import { rateRow, timeRow } from './lib/report.js'
import { type AppServer, startBareLookupServer } from './lib/server.js'
import { distribution, fmt } from './lib/stats.js'
import type { LoadInput, LoadOutput, LoadPlan } from './workers/load.js'

const WARMUP_SECONDS = 2

/**
 * Benchmark 4: GET /api/v1/units/lookup?code=<random serial> at C concurrent clients, against a bare
 * node:http server doing one indexed better-sqlite3 lookup on the same file. Two rounds per side in
 * the order app, bare, bare, app (after a warm-up of each), so drift on a noisy machine hits both.
 */
export async function benchLookupHttp(env: BenchEnv, server: AppServer): Promise<void> {
  const { o } = env
  const bare = await startBareLookupServer(env.ledgerFile, o.synchronous)
  try {
    const plan = (path: string): LoadPlan => ({
      kind: 'lookup',
      path,
      prefix: LEDGER_PREFIX,
      width: serialWidth(o.units),
      maxIndex: o.units,
    })
    const sides = {
      app: { origin: server.origin, plan: plan('/api/v1/units/lookup?code='), headers: server.headers },
      bare: { origin: bare.origin, plan: plan('/lookup?code='), headers: {} },
    }
    const run = async (side: keyof typeof sides, seconds: number) => {
      const r = await runWorker<LoadInput, LoadOutput>('load', {
        origin: sides[side].origin,
        connections: o.connections,
        duration: seconds,
        maxSeconds: seconds + 30,
        plan: sides[side].plan,
        headers: sides[side].headers,
        keepSamples: true,
      })
      if (r.result.non2xx || r.result.errors)
        throw new Error(
          `${side} lookups: ${r.result.non2xx} non-2xx, ` +
            `${r.result.errors} errors ${JSON.stringify(r.result.statusCodes)}`,
        )
      return r.result
    }
    env.log(`lookup-http: warm-up ${WARMUP_SECONDS} s each`)
    await run('app', WARMUP_SECONDS)
    await run('bare', WARMUP_SECONDS)
    const results: Record<'app' | 'bare', LoadOutput[]> = { app: [], bare: [] }
    for (const side of ['app', 'bare', 'bare', 'app'] as const) {
      env.log(`lookup-http: ${side}, ${o.lookupSeconds} s at ${o.connections} connections`)
      const r = await run(side, o.lookupSeconds)
      env.log(
        `lookup-http: ${side}: ${fmt(r.rps)} req/s, p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms`,
      )
      results[side].push(r)
    }
    const summary = (rs: LoadOutput[]) => {
      const ok = rs.reduce((s, r) => s + r.ok, 0)
      const seconds = rs.reduce((s, r) => s + r.seconds, 0)
      return {
        ok,
        seconds,
        rps: ok / seconds,
        latencyMs: distribution(rs.flatMap((r) => r.samples ?? [])),
        rounds: rs.map((r) => r.rps),
      }
    }
    const app = summary(results.app)
    const bareSummary = summary(results.bare)
    const bench = `4 HTTP lookup, ${o.connections} conns`
    env.rows.push(
      rateRow(
        {
          bench,
          metric: 'throughput',
          unit: 'req/s',
          service: app.rps,
          raw: bareSummary.rps,
          note:
            `two ${o.lookupSeconds} s rounds per side: app ${app.rounds.map((r) => fmt(r)).join(', ')}; ` +
            `bare ${bareSummary.rounds.map((r) => fmt(r)).join(', ')} req/s`,
        },
        0.5,
      ),
      timeRow({ bench, metric: 'latency p50', unit: 'ms', service: app.latencyMs.p50, raw: bareSummary.latencyMs.p50 }),
      timeRow({ bench, metric: 'latency p99', unit: 'ms', service: app.latencyMs.p99, raw: bareSummary.latencyMs.p99 }),
    )
    env.details.lookupHttp = { connections: o.connections, app, bare: bareSummary }
  } finally {
    await bare.close()
  }
}
