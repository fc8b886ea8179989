import { connect, type Db } from '../src/db/connect.js'
import { lookupUnits, unitTimeline } from '../src/modules/units/index.js'
import type { BenchEnv } from './lib/env.js'
import { LEDGER_PREFIX, serialOf, serialWidth } from './lib/fixtures.js'
import { timeRow } from './lib/report.js'
import { distribution, fmt } from './lib/stats.js'

const P99_LIMIT_MS = 1

/** A small seeded PRNG (mulberry32), so every run looks up the same serials. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Benchmark 5: in-process `lookupUnits` + `unitTimeline` of random serials on the ledger, one call
 * at a time, next to raw prepared better-sqlite3 statements doing the same reads (the unit by its
 * serial index with its SKU and location; its events with their location, document and party). Each
 * serial is looked up by both, alternating which goes first, on the same connection.
 */
export async function benchLookup(env: BenchEnv): Promise<void> {
  const db = connect(`sqlite:${env.ledgerFile}`, { sqliteSynchronous: env.o.synchronous })
  try {
    const raw = db.sqlite!
    const rawUnit = raw.prepare(RAW_UNIT_SQL.replace('$1', '?'))
    const rawTimeline = raw.prepare(RAW_TIMELINE_SQL.replace('$1', '?'))
    await compareLookups(env, db, `5 in-process lookup + timeline (${fmt(env.o.units / 1000, 0)}k ledger)`, {
      unit: (serial) => rawUnit.get(serial) as { id: string } | undefined,
      timeline: (unitId) => rawTimeline.all(unitId),
    })
  } finally {
    await db.close()
  }
}

/** The raw reads a lookup is compared with: the unit by its serial index, then its events. */
export const RAW_UNIT_SQL = `select u.*, s.code as sku_code, s.name as sku_name, l.code as loc_code, l.name as loc_name,
    l.path as loc_path
  from unit u join sku s on s.id = u.sku_id left join location l on l.id = u.location_id where u.serial = $1`
export const RAW_TIMELINE_SQL = `select e.seq, e.id, e.type, e.occurred_at, e.recorded_at, e.actor, e.reason, e.payload,
    e.hash, l.code as loc, d.type as doc_type, d.number as doc_number, p.code as party_code, eu.price_minor
  from event_unit eu join event e on e.seq = eu.event_seq left join location l on l.id = e.location_id
  left join document d on d.id = e.document_id left join party p on p.id = d.party_id
  where eu.unit_id = $1 order by e.seq`

/** The raw side of a lookup comparison: synchronous (better-sqlite3) or not (pg). */
export interface RawLookup {
  unit(serial: string): { id: string } | undefined | Promise<{ id: string } | undefined>
  timeline(unitId: string): unknown[] | Promise<unknown[]>
}

/**
 * Looks up the same random serials through the service and the raw statements, alternating which goes
 * first, and adds the rows of `bench`. A synchronous raw side is timed without an await in between.
 */
export async function compareLookups(
  env: BenchEnv,
  db: Db,
  bench: string,
  raw: RawLookup,
  p99LimitMs = P99_LIMIT_MS,
): Promise<void> {
  const { o } = env
  const width = serialWidth(o.units)
  const next = random(42)
  const warmup = Math.min(500, o.lookups)
  const svc = { lookup: [] as number[], timeline: [] as number[], total: [] as number[] }
  const base = { lookup: [] as number[], total: [] as number[] }
  env.log(`lookup: ${fmt(o.lookups)} random serials (after ${warmup} warm-up), service and raw alternating`)
  for (let i = -warmup; i < o.lookups; i++) {
    const serial = serialOf(LEDGER_PREFIX, 1 + Math.floor(next() * o.units), width)
    const runService = async () => {
      const t0 = performance.now()
      const units = await lookupUnits(db, serial)
      const t1 = performance.now()
      if (units.length !== 1) throw new Error(`lookupUnits(${serial}) found ${units.length} units`)
      const timeline = await unitTimeline(db, units[0]!.id)
      const t2 = performance.now()
      if (timeline.length === 0) throw new Error(`no timeline for ${serial}`)
      if (i >= 0) {
        svc.lookup.push(t1 - t0)
        svc.timeline.push(t2 - t1)
        svc.total.push(t2 - t0)
      }
    }
    const runRaw = async () => {
      const t0 = performance.now()
      const found = raw.unit(serial)
      const unit = found instanceof Promise ? await found : found
      const t1 = performance.now()
      if (!unit) throw new Error(`raw lookup found no ${serial}`)
      const rows = raw.timeline(unit.id)
      const timeline = rows instanceof Promise ? await rows : rows
      const t2 = performance.now()
      if (timeline.length === 0) throw new Error(`raw: no timeline for ${serial}`)
      if (i >= 0) {
        base.lookup.push(t1 - t0)
        base.total.push(t2 - t0)
      }
    }
    if (i % 2 === 0) {
      await runService()
      await runRaw()
    } else {
      await runRaw()
      await runService()
    }
  }
  const s = { lookup: distribution(svc.lookup), timeline: distribution(svc.timeline), total: distribution(svc.total) }
  const r = { lookup: distribution(base.lookup), total: distribution(base.total) }
  const overLimit = (samples: number[]) => samples.filter((v) => v > p99LimitMs).length
  env.rows.push(
    timeRow({ bench, metric: 'lookup+timeline p50', unit: 'ms', service: s.total.p50, raw: r.total.p50 }),
    {
      ...timeRow({ bench, metric: 'lookup+timeline p99', unit: 'ms', service: s.total.p99, raw: r.total.p99 }),
      target: `< ${p99LimitMs} ms`,
      pass: s.total.p99 < p99LimitMs,
      note:
        `${overLimit(svc.total)} of ${fmt(o.lookups)} service samples and ` +
        `${overLimit(base.total)} raw samples over ${p99LimitMs} ms; ` +
        `p90 ${fmt(s.total.p90)} vs raw ${fmt(r.total.p90)} ms`,
    },
    timeRow({
      bench,
      metric: 'lookupUnits alone p99',
      unit: 'ms',
      service: s.lookup.p99,
      raw: r.lookup.p99,
      note:
        `p50 ${fmt(s.lookup.p50)} vs raw ${fmt(r.lookup.p50)} ms; ` +
        `unitTimeline alone p50 ${fmt(s.timeline.p50)} / p99 ${fmt(s.timeline.p99)} ms`,
    }),
  )
  env.details[db.dialect === 'postgres' ? 'postgresLookup' : 'lookup'] = { lookups: o.lookups, service: s, raw: r }
}
