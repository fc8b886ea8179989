import { systemClock } from '../src/core/clock.js'
import { connect } from '../src/db/connect.js'
import { updateSku } from '../src/modules/catalog/index.js'
import { ageingReport, DEFAULT_BUCKETS } from '../src/modules/lifecycle/index.js'
import { putPolicy, recommendations } from '../src/modules/pricing/index.js'
import type { BenchEnv } from './lib/env.js'
import { ACTOR, SKU } from './lib/fixtures.js'
import { timeRow } from './lib/report.js'
import { fmt } from './lib/stats.js'

const TARGET_S = 2
const ROUNDS = 3

/**
 * Benchmark 9: the ageing report (by SKU, by location) and the markdown recommendations over every unit
 * of the ledger, next to a plain SQL GROUP BY of the same rows (raw better-sqlite3, count and value at
 * cost of the in-stock units per SKU) on the same file, alternating, best of three each. The ledger's
 * units share one receipt, so they fall in one bucket; the queries still read every unit row.
 */
export async function benchAgeing(env: BenchEnv): Promise<void> {
  const db = connect(`sqlite:${env.ledgerFile}`, { sqliteSynchronous: env.o.synchronous })
  try {
    const ctx = { db, clock: systemClock }
    await updateSku(ctx, ACTOR, SKU, { skuGroup: 'BENCH' })
    // A rule every unit matches (age 0+), so the recommendations price every unit.
    await putPolicy(ctx, ACTOR, 'BENCH', {
      rules: [{ minAgeDays: 0, action: 'discount', percent: 10 }],
      periodDays: 30,
      maxMarkdowns: 2,
      maxDepthPct: 40,
    })
    const raw = db.sqlite!.prepare(
      `select u.sku_id, count(*) as n, sum(coalesce(u.cost_minor, s.cost_minor)) as v
       from unit u join sku s on s.id = u.sku_id where u.status = 'in_stock' group by u.sku_id`,
    )
    const time = async (fn: () => unknown) => {
      const t = performance.now()
      await fn()
      return (performance.now() - t) / 1000
    }
    const asOf = new Date()
    const runs = { bySku: [] as number[], byLocation: [] as number[], recommend: [] as number[], raw: [] as number[] }
    let units = 0
    let recommended = 0
    for (let round = 0; round < ROUNDS; round++) {
      runs.raw.push(await time(() => (units = Number((raw.all() as { n: number }[])[0]?.n ?? 0))))
      const q = { asOf, basis: 'stock' as const, bounds: DEFAULT_BUCKETS }
      runs.bySku.push(await time(() => ageingReport(db.kysely, { ...q, by: 'sku' })))
      runs.byLocation.push(await time(() => ageingReport(db.kysely, { ...q, by: 'location' })))
      runs.recommend.push(
        await time(async () => {
          const r = await recommendations(db.kysely, { asOf })
          recommended = r.lines.reduce((n, l) => n + l.units, 0)
        }),
      )
    }
    if (recommended !== units) throw new Error(`recommendations covered ${recommended} of ${units} units`)
    const bench = `9 ageing ${fmt(units / 1000, 0)}k units`
    const rawBest = Math.min(...runs.raw)
    const row = (metric: string, xs: number[]) => {
      const best = Math.min(...xs)
      return {
        ...timeRow({
          bench,
          metric,
          unit: 's',
          service: best,
          raw: rawBest,
          note: `runs ${xs.map((x) => fmt(x)).join(', ')} s`,
        }),
        target: `< ${TARGET_S} s`,
        pass: best < TARGET_S,
      }
    }
    env.rows.push(
      row('ageing report by SKU', runs.bySku),
      row('ageing report by location', runs.byLocation),
      row('markdown recommendations', runs.recommend),
    )
    env.details.ageing = { units, recommended, ...runs }
  } finally {
    await db.close()
  }
}
