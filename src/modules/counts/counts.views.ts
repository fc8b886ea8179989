/*
 * How counts are shown: a count's summary, the list of counts, the reconciliation as an answer (at
 * cost, lists cut to a limit) and as CSV rows (every item).
 */
import { stringify } from 'csv-stringify/sync'
import { fromMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import type { Reconciliation, ReconciledUnit } from './counts.queries.js'
import type { CountSummary, ReconciliationView } from './counts.schemas.js'

function summaryQuery(db: Executor) {
  return db
    .selectFrom('count_session as c')
    .innerJoin('document as d', 'd.id', 'c.id')
    .innerJoin('location as l', 'l.id', 'c.location_id')
    .select(['d.number', 'd.data', 'l.code as location', 'c.is_blind', 'c.status', 'c.started_at', 'c.started_by'])
    .select(['c.closed_at', 'c.closed_by', 'c.started_seq'])
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['execute']>>[number]

const toSummary = (r: SummaryRow): CountSummary => ({
  number: r.number,
  location: r.location,
  skus: (JSON.parse(r.data) as { skus?: string[] }).skus ?? [],
  isBlind: r.is_blind === 1,
  status: r.status as CountSummary['status'],
  startedAt: r.started_at,
  startedBy: r.started_by,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
})

/** A count's summary by its id. */
export async function countSummary(db: Executor, id: string): Promise<CountSummary> {
  return toSummary(await summaryQuery(db).where('c.id', '=', id).executeTakeFirstOrThrow())
}

/** Counts, newest first. */
export async function listCounts(
  db: Executor,
  q: { status?: 'open' | 'closed'; limit: number },
): Promise<CountSummary[]> {
  const rows = await summaryQuery(db)
    .$if(q.status !== undefined, (b) => b.where('c.status', '=', q.status!))
    .orderBy('c.started_seq', 'desc')
    .limit(q.limit)
    .execute()
  return rows.map(toSummary)
}

const costOf = (items: readonly ReconciledUnit[]) => items.reduce((n, i) => n + (i.costMinor ?? 0), 0)

const unitView = (i: ReconciledUnit) => ({
  unitId: i.unit.id,
  serial: i.unit.serial,
  sku: i.unit.skuCode,
  skuName: i.skuName,
  cost: fromMinor(i.costMinor),
  status: i.unit.status,
  statusAtScan: i.statusAtScan,
  recordedAt: i.recordedAt,
  seenAt: i.seenAt?.code ?? null,
  scannedBy: i.scannedBy,
  scannedAt: i.scannedAt,
  changedSinceScan: i.changedSinceScan,
})

/** The reconciliation as the API answers it: every bucket counted and valued at cost, lists cut to `limit`. */
export function reconciliationView(r: Reconciliation, summary: CountSummary, limit: number): ReconciliationView {
  const bucket = (items: readonly ReconciledUnit[]) => ({
    units: items.length,
    value: fromMinor(costOf(items))!,
    items: items.slice(0, limit).map(unitView),
  })
  const lists = [r.missing, r.misplaced, r.otherStatus, r.unknown, r.quantities]
  return {
    count: summary,
    scans: r.scans,
    repeats: r.repeats,
    changedDuringCount: r.changedDuringCount,
    found: { units: r.found.units, value: fromMinor(r.found.valueMinor)! },
    missing: bucket(r.missing),
    misplaced: bucket(r.misplaced),
    otherStatus: bucket(r.otherStatus),
    unknown: { units: r.unknown.length, items: r.unknown.slice(0, limit) },
    quantities: r.quantities.slice(0, limit).map((q) => ({
      sku: q.sku.code,
      skuName: q.skuName,
      lot: q.lotCode,
      location: q.location.code,
      onHand: q.expected,
      counted: q.counted,
      variance: q.delta,
      value: fromMinor(q.delta * q.costMinor)!,
    })),
    truncated: lists.some((l) => l.length > limit),
  }
}

export const RECONCILIATION_COLUMNS = [
  'bucket',
  'serial',
  'sku',
  'lot',
  'status',
  'status_at_scan',
  'recorded_at',
  'seen_at',
  'scanned_by',
  'scanned_at',
  'on_hand',
  'counted',
  'variance',
  'value',
] as const

/** A reconciliation as CSV text, every item: what the API's export and `count export` write. */
export const reconciliationCsv = (r: Reconciliation): string =>
  stringify([...reconciliationRows(r)], { header: true, columns: [...RECONCILIATION_COLUMNS] })

/** Every item of a reconciliation as CSV rows (`RECONCILIATION_COLUMNS`), bucket by bucket. */
export function* reconciliationRows(r: Reconciliation): Generator<unknown[]> {
  const buckets = [
    ['missing', r.missing],
    ['misplaced', r.misplaced],
    ['other_status', r.otherStatus],
  ] as const
  for (const [name, items] of buckets)
    for (const i of items) {
      const v = unitView(i)
      const value = name === 'missing' ? -(v.cost ?? 0) : (v.cost ?? 0)
      const seen = [v.recordedAt, v.seenAt, v.scannedBy, v.scannedAt]
      yield [name, v.serial, v.sku, '', v.status, v.statusAtScan, ...seen, '', '', '', value]
    }
  for (const u of r.unknown)
    yield ['unknown', u.serial, '', '', '', '', '', u.seenAt, u.scannedBy, u.scannedAt, '', '', '', '']
  for (const q of r.quantities) {
    const at = q.location.code
    const value = fromMinor(q.delta * q.costMinor)
    yield ['quantity', '', q.sku.code, q.lotCode ?? '', '', '', at, at, '', '', q.expected, q.counted, q.delta, value]
  }
}
