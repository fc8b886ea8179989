import { systemClock } from '../src/core/clock.js'
import { connect } from '../src/db/connect.js'
import { execute } from '../src/modules/operations/index.js'
import {
  createDefectCode,
  DefectQuery,
  defectReport,
  inspect,
  openRecall,
  previewRecall,
  quarantineRecall,
  resolveCriteria,
} from '../src/modules/quality/index.js'
import type { BenchEnv } from './lib/env.js'
import { ACTOR, LEDGER_PREFIX, serialOf, serialWidth } from './lib/fixtures.js'
import { EVENT_UNIT_COLUMNS, MultiRowInsert } from './lib/raw.js'
import { rateRow, timeRow } from './lib/report.js'
import { fmt } from './lib/stats.js'

const PREVIEW_TARGET_S = 2
const ANALYSIS_TARGET_S = 2
const QUARANTINE_MIN_RATIO = 1 / 3
/** One unit in this many fails an inspection (the analysis has defects to count). */
const FAIL_EVERY = 20
const INSPECT_BATCH = 100_000

/** The best of `rounds` timings of `fn`, in seconds, with its last result. */
async function best<T>(
  rounds: number,
  fn: () => Promise<T> | T,
): Promise<{ seconds: number; result: T; runs: number[] }> {
  const runs: number[] = []
  let result!: T
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now()
    result = await fn()
    runs.push((performance.now() - t0) / 1000)
  }
  return { seconds: Math.min(...runs), result, runs }
}

/**
 * Benchmark 9: recall and quality on the ledger benchmark 1 built (every unit in stock). One unit in 20
 * fails an inspection; a recall's criteria select the first tenth of the serials. Timed, each next to
 * plain SQL over the same rows on the same file: the preview (status and site counts, the sold list),
 * the defect analysis (six dimensions, the raw side five, with the failed and returned sets) and the
 * quarantine of the affected units in one event, against raw multi-row INSERTs of as many event lines
 * (the target), and against the same work raw (those INSERTs and the UPDATE of the unit rows).
 */
export async function benchQuality(env: BenchEnv): Promise<void> {
  const n = env.o.units
  const affected = Math.max(1, Math.floor(n / 10))
  const width = serialWidth(n)
  const db = connect(`sqlite:${env.ledgerFile}`, { sqliteSynchronous: env.o.synchronous })
  const ctx = { db, clock: systemClock }
  const raw = db.sqlite!
  try {
    await createDefectCode(ctx, { code: 'BENCH-DOA', name: 'dead on arrival' })
    const failing: string[] = []
    for (let i = 1; i <= n; i += FAIL_EVERY) failing.push(serialOf(LEDGER_PREFIX, i, width))
    env.log(`quality: ${fmt(failing.length)} units fail an inspection`)
    for (let i = 0; i < failing.length; i += INSPECT_BATCH)
      await execute(
        ctx,
        inspect,
        { actor: ACTOR },
        {
          units: failing.slice(i, i + INSPECT_BATCH),
          stage: 'receiving',
          result: 'fail',
          defectCodes: ['BENCH-DOA'],
        },
      )
    const range = { from: serialOf(LEDGER_PREFIX, 1, width), to: serialOf(LEDGER_PREFIX, affected, width) }
    const criteria = { serialRange: range }
    env.log(`quality: preview, analysis and quarantine of ${fmt(affected)} affected units`)
    const resolved = await resolveCriteria(db.kysely, criteria)

    // Preview: by status, by site and status, the first 200 sold units.
    const rawByStatus = raw.prepare('select status, count(*) n from unit where serial between ? and ? group by status')
    const rawBySite = raw.prepare(
      'select l.path, u.status, count(*) n from unit u join location l on l.id = u.location_id ' +
        'where u.serial between ? and ? group by l.path, u.status',
    )
    const rawSold = raw.prepare(
      'select u.serial, s.code, p.name, u.order_ref, u.sold_at from unit u join sku s on s.id = u.sku_id ' +
        "left join party p on p.id = u.customer_id where u.serial between ? and ? and u.status = 'sold' " +
        'order by u.sold_at, u.serial limit 200',
    )
    const previewRaw = await best(2, () => {
      const rows = rawByStatus.all(range.from, range.to) as { n: number }[]
      rawBySite.all(range.from, range.to)
      rawSold.all(range.from, range.to)
      return rows.reduce((s, r) => s + r.n, 0)
    })
    const preview = await best(2, () => previewRecall(db.kysely, resolved))
    if (preview.result.total !== previewRaw.result || preview.result.total !== affected)
      throw new Error(`preview saw ${preview.result.total}, raw ${previewRaw.result}, planted ${affected}`)

    // The defect analysis over every unit: six dimensions (the raw side runs the first five).
    const failedSet =
      'select fe.unit_id from event_unit fe join event fv on fv.seq = fe.event_seq where fv.type in ' +
      "('inspected','quarantined') and fv.reason = 'inspection_fail'"
    const returnedSet =
      "select re.unit_id from event_unit re join event rv on rv.seq = re.event_seq where rv.type = 'returned'"
    const flags = (id: string) =>
      `sum(case when ${id} in (${failedSet}) then 1 else 0 end) d, ` +
      `sum(case when ${id} in (${returnedSet}) then 1 else 0 end) r`
    const byColumn = (col: string) =>
      raw.prepare(`select u.${col} k, count(*) n, ${flags('u.id')} from unit u group by u.${col}`)
    const rawQueries = [
      raw.prepare(`select count(*) n, ${flags('u.id')} from unit u`),
      ...['supplier_id', 'receipt_id', 'lot_id', 'sku_id'].map(byColumn),
      raw.prepare(
        'select pv.location_id k, count(distinct pe.unit_id) n, ' +
          `count(distinct case when pe.unit_id in (${failedSet}) then pe.unit_id end) d, ` +
          `count(distinct case when pe.unit_id in (${returnedSet}) then pe.unit_id end) r ` +
          'from event_unit pe join event pv on pv.seq = pe.event_seq join unit u on u.id = pe.unit_id ' +
          "where pv.type in ('received','moved','transfer_received','returned','found') " +
          'and pv.location_id is not null group by pv.location_id',
      ),
    ]
    const analysisRaw = await best(2, () => {
      const totals = rawQueries[0]!.get() as { d: number }
      for (const q of rawQueries.slice(1)) q.all()
      return totals.d
    })
    const analysis = await best(2, () => defectReport(db.kysely, DefectQuery.parse({})))
    if (analysis.result.defective !== analysisRaw.result)
      throw new Error(`analysis saw ${analysis.result.defective} defective, raw ${analysisRaw.result}`)

    // Quarantine: raw multi-row inserts of as many event lines, then the recall's one event.
    // Raw: the same number of lines into the ledger's own line table (its keys and indexes), committed,
    // under a sequence number no event has; removed again afterwards (not timed).
    const insert = new MultiRowInsert(raw, 'event_unit', EVENT_UNIT_COLUMNS, 1000)
    const units = raw
      .prepare('select id, sku_id, serial, lot_id from unit where serial between ? and ? order by id')
      .all(range.from, range.to) as { id: string; sku_id: string; serial: string; lot_id: string | null }[]
    /** The lines of `rows` under sequence number `seq` (one no event has), 1000 a statement. */
    const insertLines = (rows: typeof units, seq: number) => {
      for (let i = 0; i < rows.length; i += 1000) {
        const flat: unknown[] = []
        rows
          .slice(i, i + 1000)
          .forEach((u, k) => flat.push(seq, i + k + 1, u.id, u.sku_id, u.serial, u.lot_id, null, null, null))
        insert.run(flat)
      }
    }
    const t0 = performance.now()
    raw.transaction(() => insertLines(units, -1))()
    const rawQuarantineSeconds = (performance.now() - t0) / 1000
    raw.prepare('delete from event_unit where event_seq = -1').run()
    // The same work raw, a second figure next to the first: the lines plus the projection the service also
    // writes (status, version, last event of each unit row, and so the two status indexes), as one UPDATE …
    // RETURNING over the range and the same multi-row INSERTs, committed; the units are put back untimed.
    raw.exec(
      'create temp table bench_before as select id, status, version, last_event_seq, updated_at from unit ' +
        `where serial between '${range.from}' and '${range.to}'`,
    )
    const hold = raw.prepare(
      "update unit set status = 'quarantined', version = version + 1, last_event_seq = -1, updated_at = ? " +
        "where serial between ? and ? and status || '' in ('in_stock', 'returned', 'in_repair') " +
        'returning id, sku_id, serial, lot_id',
    )
    const t2 = performance.now()
    raw.transaction(() => insertLines(hold.all(new Date().toISOString(), range.from, range.to) as typeof units, -2))()
    const rawSameWorkSeconds = (performance.now() - t2) / 1000
    raw.exec(
      'update unit set status = b.status, version = b.version, last_event_seq = b.last_event_seq, ' +
        'updated_at = b.updated_at from temp.bench_before b where unit.id = b.id; ' +
        'drop table temp.bench_before; delete from event_unit where event_seq = -2',
    )
    const { result: recall } = await execute(ctx, openRecall, { actor: ACTOR }, { title: 'bench recall', criteria })
    const t1 = performance.now()
    const { result: held } = await execute(ctx, quarantineRecall, { actor: ACTOR }, { number: recall.number })
    const quarantineSeconds = (performance.now() - t1) / 1000
    if (held.quarantined !== affected) throw new Error(`quarantined ${held.quarantined} of ${affected}`)

    const bench = `9 quality ${fmt(n / 1000, 0)}k units, ${fmt(affected / 1000, 0)}k affected`
    env.rows.push(
      {
        ...timeRow({
          bench,
          metric: 'recall preview',
          unit: 's',
          service: preview.seconds,
          raw: previewRaw.seconds,
          note: `runs ${preview.runs.map((s) => fmt(s)).join(', ')} s`,
        }),
        target: `< ${PREVIEW_TARGET_S} s`,
        pass: preview.seconds < PREVIEW_TARGET_S,
      },
      {
        ...timeRow({
          bench,
          metric: 'defect analysis (6 dimensions)',
          unit: 's',
          service: analysis.seconds,
          raw: analysisRaw.seconds,
          note:
            `${fmt(analysis.result.defective)} defective; runs ${analysis.runs.map((s) => fmt(s)).join(', ')} s; ` +
            'raw = the five dimensions as plain grouped scans (no site rows)',
        }),
        target: `< ${ANALYSIS_TARGET_S} s`,
        pass: analysis.seconds < ANALYSIS_TARGET_S,
      },
      rateRow(
        {
          bench,
          metric: 'recall quarantine (one event)',
          unit: 'units/s',
          service: affected / quarantineSeconds,
          raw: affected / rawQuarantineSeconds,
          note: `${fmt(quarantineSeconds)} s; raw = multi-row INSERTs of its lines into event_unit`,
        },
        QUARANTINE_MIN_RATIO,
      ),
      rateRow({
        bench,
        metric: 'recall quarantine vs the same work raw',
        unit: 'units/s',
        service: affected / quarantineSeconds,
        raw: affected / rawSameWorkSeconds,
        note: 'raw = one UPDATE … RETURNING of the unit rows (status, version, last event) and the line INSERTs',
      }),
    )
    env.details.quality = {
      units: n,
      affected,
      failed: failing.length,
      previewSeconds: preview.runs,
      previewRawSeconds: previewRaw.runs,
      analysisSeconds: analysis.runs,
      analysisRawSeconds: analysisRaw.runs,
      quarantineSeconds,
      rawQuarantineSeconds,
      rawSameWorkSeconds,
    }
  } finally {
    await db.close()
  }
}
