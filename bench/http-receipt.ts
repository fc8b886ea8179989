import { systemClock } from '../src/core/clock.js'
import { connect } from '../src/db/connect.js'
import { newId } from '../src/core/ids.js'
import { execute } from '../src/modules/operations/index.js'
import { receive } from '../src/modules/receiving/index.js'
import type { BenchEnv } from './lib/env.js'
import { ACTOR, serialOf, SITE, SKU, SUPPLIER } from './lib/fixtures.js'
import { EVENT_UNIT_COLUMNS, MultiRowInsert, pushReceivedUnit, UNIT_COLUMNS } from './lib/raw.js'
import { rateRow, timeRow } from './lib/report.js'
import type { AppServer } from './lib/server.js'
import { fmt, mean } from './lib/stats.js'

/** An event_unit seq no ledger event will reach, for the raw baseline's rows (deleted afterwards). */
const RAW_EVENT_SEQ = 999_999_999

/**
 * Benchmark 2: one POST /api/v1/receipts with N serials in a JSON `serials` array, against the running
 * server on the ledger. Baseline: the raw batched insert of N unit + N event_unit rows into the same
 * database file (committed, timed, then deleted untimed), before and after, averaged. Also the same receipt through
 * `receiveUnits`
 * in-process, to show what HTTP (parse, validation, request hashing) adds.
 */
export async function benchHttpReceipt(env: BenchEnv, server: AppServer): Promise<void> {
  const n = env.o.httpSerials
  const width = 7
  env.log(`http-receipt: raw insert of ${fmt(n)} units into the ledger file`)
  const rawRuns = [rawInsert(env, n)]

  const serials = Array.from({ length: n }, (_, i) => serialOf('WEB-', i + 1, width))
  const body = JSON.stringify({
    supplier: SUPPLIER,
    location: SITE,
    number: 'RCV-BENCH-HTTP',
    lines: [{ sku: SKU, serials }],
  })
  env.log(`http-receipt: POST /api/v1/receipts with ${fmt(n)} serials (${fmt(body.length / 1024 / 1024, 1)} MB body)`)
  const t0 = performance.now()
  const res = await fetch(`${server.origin}/api/v1/receipts`, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json' },
    body,
  })
  const reply = (await res.json()) as { unitCount?: number }
  const httpSeconds = (performance.now() - t0) / 1000
  if (res.status !== 201 || reply.unitCount !== n)
    throw new Error(`POST /receipts answered ${res.status}: ${JSON.stringify(reply).slice(0, 500)}`)

  env.log(`http-receipt: the same receipt through receiveUnits in-process`)
  const inProcSerials = Array.from({ length: n }, (_, i) => serialOf('SVC-', i + 1, width))
  const request = {
    supplier: SUPPLIER,
    location: SITE,
    number: 'RCV-BENCH-SVC',
    lines: [{ sku: SKU, serials: inProcSerials }],
  }
  const t1 = performance.now()
  const { result } = await execute({ db: server.db, clock: systemClock }, receive, { actor: ACTOR, request }, request)
  const inProcSeconds = (performance.now() - t1) / 1000
  if (result.unitCount !== n) throw new Error(`in-process receipt received ${result.unitCount}`)
  env.log(`http-receipt: raw insert again`)
  rawRuns.push(rawInsert(env, n))
  const rawSeconds = mean(rawRuns)

  const bench = `2 HTTP receipt ${fmt(n / 1000, 0)}k serials`
  env.rows.push(
    timeRow({
      bench,
      metric: 'time, one POST',
      unit: 's',
      service: httpSeconds,
      raw: rawSeconds,
      note:
        `raw runs (before and after) ${rawRuns.map((r) => fmt(r)).join(' s and ')} s; ` +
        `the same receipt through receiveUnits in-process took ${fmt(inProcSeconds)} s`,
    }),
    rateRow({ bench, metric: 'rate, one POST', unit: 'units/s', service: n / httpSeconds, raw: n / rawSeconds }),
    timeRow({ bench, metric: 'time, in-process receiveUnits', unit: 's', service: inProcSeconds, raw: rawSeconds }),
  )
  env.details.httpReceipt = {
    serials: n,
    bodyBytes: body.length,
    httpSeconds,
    inProcessSeconds: inProcSeconds,
    rawSeconds,
    rawRuns,
  }
}

/** The raw baseline: same pragmas (the project's connect()), one transaction of multi-row INSERTs; returns seconds. */
function rawInsert(env: BenchEnv, n: number): number {
  const db = connect(`sqlite:${env.ledgerFile}`, { sqliteSynchronous: env.o.synchronous })
  const raw = db.sqlite!
  try {
    const id = (sql: string, p: string) => (raw.prepare(sql).get(p) as { id: string }).id
    const skuId = id('select id from sku where code = ?', SKU)
    const locationId = id('select id from location where code = ?', SITE)
    const supplierId = id('select id from party where code = ?', SUPPLIER)
    const rows = 250
    const units = new MultiRowInsert(raw, 'unit', UNIT_COLUMNS, rows)
    const lines = new MultiRowInsert(raw, 'event_unit', EVENT_UNIT_COLUMNS, rows)
    const receiptId = newId()
    const place = { locationId, receiptId, supplierId }
    const t0 = performance.now()
    const now = new Date().toISOString()
    raw.exec('begin immediate')
    for (let from = 1; from <= n; from += rows) {
      const to = Math.min(n, from + rows - 1)
      const u: unknown[] = []
      const l: unknown[] = []
      for (let i = from; i <= to; i++) {
        const unitId = newId()
        const serial = serialOf('RAW-', i, 7)
        l.push(RAW_EVENT_SEQ, i, unitId, skuId, serial, null, 40000, null, null)
        pushReceivedUnit(u, unitId, skuId, serial, place, 40000, now)
      }
      lines.run(l)
      units.run(u)
    }
    raw.exec('commit')
    const seconds = (performance.now() - t0) / 1000
    // Leave the ledger as the services made it.
    raw.exec('begin immediate')
    raw.prepare(`delete from unit where serial >= 'RAW-' and serial < 'RAW.'`).run()
    raw.prepare('delete from event_unit where event_seq = ?').run(RAW_EVENT_SEQ)
    raw.exec('commit')
    return seconds
  } finally {
    void db.close()
  }
}
