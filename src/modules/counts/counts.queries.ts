import { sql } from 'kysely'
/*
 * The read side of counts: a count by number, the facts its commands load, its live tally and its
 * reconciliation (what was found, what is missing, what was unexpected, and the quantity variances).
 */
import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { runShaped } from '../../db/shaped-query.js'
import { scannedIn } from '../ledger/index.js'
import type { DraftQuantity, LocationFact, UnitFact } from '../operations/index.js'
import { LOCATED_STATUSES, toUnitFact, type UnitFactRow } from '../units/index.js'
import type { CountFact } from './counts.rules.js'

/** A count by its number, with its scope; refused as `count.not_found` when there is none. */
export async function getCount(db: Executor, number: string): Promise<CountFact> {
  // Every scan batch asks for its count: the statement is built once (runShaped).
  const { rows } = await runShaped(db, 'count-by-number', [number], () =>
    db
      .selectFrom('document as d')
      .innerJoin('count_session as c', 'c.id', 'd.id')
      .innerJoin('location as l', 'l.id', 'c.location_id')
      .select(['d.id', 'd.number', 'c.sku_ids', 'c.is_blind', 'c.status', 'c.started_seq'])
      .select(['l.id as location_id', 'l.code as location_code', 'l.path as location_path'])
      .where('d.type', '=', sql.lit('count'))
      .where('d.number', '=', number),
  )
  const row = rows[0]
  if (!row) throw new AppError('count.not_found', `no count ${number}`)
  return {
    id: row.id,
    number: row.number,
    location: { id: row.location_id, code: row.location_code, path: row.location_path },
    skuIds: JSON.parse(row.sku_ids) as string[],
    isBlind: row.is_blind === 1,
    status: row.status as CountFact['status'],
    startedSeq: Number(row.started_seq),
  }
}

/** Keys among `keys` that the count recorded before. */
export async function findSeenKeys(db: Executor, countId: string, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const { rows } = await runShaped(db, `count-seen-keys:${keys.length}`, [countId, ...keys], () =>
    db
      .selectFrom('count_scan')
      .select('scan_key')
      .where('count_id', '=', countId)
      .where('scan_key', 'in', [...keys]),
  )
  return new Set(rows.map((r) => r.scan_key))
}

/** Which of `unitIds` the count has scanned already (scans a recount set aside do not count). */
export async function findScannedUnits(
  db: Executor,
  countId: string,
  unitIds: readonly string[],
): Promise<Set<string>> {
  return scannedIn(db, countId, unitIds)
}

const unitColumns = [
  'u.id',
  'u.sku_id',
  'k.code as sku_code',
  'k.name as sku_name',
  'u.serial',
  'u.status',
  'u.version',
  'u.location_id',
  'ul.path as location_path',
  'ul.code as location_code',
  'u.lot_id',
  'u.transfer_id',
  'u.customer_id',
  'u.order_ref',
  'u.cost_minor',
  'u.last_event_seq',
] as const

interface UnitRow extends UnitFactRow {
  sku_name: string
  location_code: string | null
  cost_minor: number | null
  last_event_seq: number
}

/** One unit of a reconciliation bucket, with where it was recorded and where (and by whom) it was seen. */
export interface ReconciledUnit {
  unit: UnitFact
  skuName: string
  costMinor: number | null
  /** The status and location the ledger had when the unit was scanned (now, for a missing unit). */
  statusAtScan: string
  recordedAt: string | null
  seenAt: LocationFact | null
  scannedBy: string | null
  scannedAt: string | null
  /** The unit had another event after its scan: the close leaves it alone. */
  changedSinceScan: boolean
}

export interface UnknownScan {
  serial: string
  seenAt: string
  scannedBy: string
  scannedAt: string
}

export interface QuantityVariance extends DraftQuantity {
  skuName: string
  lotCode: string | null
  /** On hand as the ledger had it at the row's latest scan (today's `onHand` less what moved since). */
  expected: number
  counted: number
  costMinor: number
}

export interface Reconciliation {
  count: CountFact
  scans: number
  repeats: number
  /** Units found as expected: how many, their value, and those the ledger has as missing since (found again). */
  found: { units: number; valueMinor: number; nowMissing: ReconciledUnit[] }
  missing: ReconciledUnit[]
  misplaced: ReconciledUnit[]
  otherStatus: ReconciledUnit[]
  unknown: UnknownScan[]
  quantities: QuantityVariance[]
  /** Units in scope, not scanned, that had an event since the count started: not judged missing. */
  changedDuringCount: number
}

/** Judges every scan of a count against the ledger as of the scan, and finds what was not scanned. */
export async function reconcile(db: Executor, count: CountFact): Promise<Reconciliation> {
  const judged = await judgedScans(db, count.id)
  const out: Reconciliation = {
    count,
    scans: judged.scans,
    repeats: judged.repeats,
    found: { units: judged.foundUnits, valueMinor: judged.foundValueMinor, nowMissing: [] },
    missing: [],
    misplaced: [],
    otherStatus: [],
    unknown: await unknownScans(db, count.id),
    quantities: [],
    changedDuringCount: 0,
  }
  out.scans += out.unknown.length
  for (const s of judged.rows) {
    const item: ReconciledUnit = {
      unit: toUnitFact(s),
      skuName: s.sku_name,
      costMinor: s.cost_minor === null ? null : Number(s.cost_minor),
      statusAtScan: s.unit_status ?? s.status,
      recordedAt: s.rl_code,
      seenAt: { id: s.sl_id, code: s.sl_code, path: s.sl_path },
      scannedBy: s.actor,
      scannedAt: s.scanned_at,
      changedSinceScan: Number(s.last_event_seq) !== Number(s.unit_seq),
    }
    if (s.judgement === 'found') out.found.nowMissing.push(item)
    else (s.judgement === 'misplaced' ? out.misplaced : out.otherStatus).push(item)
  }
  const unscanned = await db
    .selectFrom('unit as u')
    .innerJoin('location as ul', 'ul.id', 'u.location_id')
    .innerJoin('sku as k', 'k.id', 'u.sku_id')
    .select(unitColumns)
    .where('ul.path', 'like', `${count.location.path}%`)
    .where('u.status', 'in', LOCATED_STATUSES)
    .$if(count.skuIds.length > 0, (q) => q.where('u.sku_id', 'in', [...count.skuIds]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('count_scan as s')
            .select('s.unit_id')
            .whereRef('s.unit_id', '=', 'u.id')
            .where('s.count_id', '=', count.id)
            .where('s.voided_seq', 'is', null),
        ),
      ),
    )
    .execute()
  for (const r of unscanned) {
    if (Number(r.last_event_seq) > count.startedSeq) {
      out.changedDuringCount++
      continue
    }
    out.missing.push({
      unit: toUnitFact(r),
      skuName: r.sku_name,
      costMinor: r.cost_minor === null ? null : Number(r.cost_minor),
      statusAtScan: r.status,
      recordedAt: r.location_code,
      seenAt: null,
      scannedBy: null,
      scannedAt: null,
      changedSinceScan: false,
    })
  }
  out.quantities = await quantityVariances(db, count)
  return out
}

interface JudgedRow extends UnitRow {
  judgement: 'found' | 'misplaced' | 'other_status'
  unit_status: string | null
  unit_seq: number | null
  scanned_at: string
  actor: string
  sl_id: string
  sl_code: string
  sl_path: string
  rl_code: string | null
}

/**
 * The count's unit scans, judged when they were projected (found, misplaced, another status): found
 * units are only counted and valued, in the database, so a count of a whole store never materialises
 * them; the others (and found units the ledger has as missing since) come back as rows. A repeat counts
 * once.
 */
async function judgedScans(db: Executor, countId: string) {
  const totals = await db
    .selectFrom('count_scan')
    .select(['judgement', 'is_repeat', (eb) => eb.fn.countAll<number>().as('n')])
    .select((eb) => eb.fn.sum<number>('unit_cost_minor').as('v'))
    .where('count_id', '=', countId)
    .where('kind', '=', 'unit')
    .where('voided_seq', 'is', null)
    .groupBy(['judgement', 'is_repeat'])
    .execute()
  const sum = (f: (t: (typeof totals)[number]) => boolean, v: (t: (typeof totals)[number]) => number) =>
    totals.filter(f).reduce((n, t) => n + Number(v(t) ?? 0), 0)
  const found = (t: (typeof totals)[number]) => t.judgement === 'found' && t.is_repeat === 0
  const details = (q: ReturnType<typeof judgedRows>) => q.execute() as Promise<JudgedRow[]>
  const rows = [
    ...(await details(judgedRows(db, countId, 'unexpected'))),
    ...(await details(judgedRows(db, countId, 'now_missing'))),
  ]
  return {
    scans: sum(
      () => true,
      (t) => t.n,
    ),
    repeats: sum(
      (t) => t.is_repeat === 1,
      (t) => t.n,
    ),
    foundUnits: sum(found, (t) => t.n),
    foundValueMinor: sum(found, (t) => t.v),
    rows,
  }
}

/**
 * The scans that need a look, with their unit: the unexpected ones (misplaced, in another status), or the
 * units found that the ledger has as missing since. The latter starts from the missing units (a few) and
 * probes the count's scans of each (`count_scan_seen_ix`): starting from the count's found scans would
 * read every one of them. SQLite takes a CROSS JOIN's order as written.
 */
function judgedRows(db: Executor, countId: string, which: 'unexpected' | 'now_missing') {
  const base =
    which === 'unexpected'
      ? db.selectFrom('count_scan as s').innerJoin('unit as u', 'u.id', 's.unit_id').where('s.judgement', '!=', 'found')
      : db
          .selectFrom('unit as u')
          .crossJoin('count_scan as s')
          .whereRef('s.unit_id', '=', 'u.id')
          .where('u.status', '=', sql.lit('missing'))
          .where('s.judgement', '=', 'found')
  return base
    .innerJoin('location as sl', 'sl.id', 's.location_id')
    .leftJoin('location as rl', 'rl.id', 's.unit_location_id')
    .innerJoin('sku as k', 'k.id', 'u.sku_id')
    .leftJoin('location as ul', 'ul.id', 'u.location_id')
    .select(['s.judgement', 's.unit_status', 's.unit_seq', 's.scanned_at', 's.actor', 'sl.id as sl_id'])
    .select(['sl.code as sl_code', 'sl.path as sl_path', 'rl.code as rl_code'])
    .select(unitColumns)
    .where('s.count_id', '=', countId)
    .where('s.kind', '=', 'unit')
    .where('s.voided_seq', 'is', null)
    .where('s.is_repeat', '=', 0)
    .orderBy('s.event_seq')
}

/** Scans of serials the ledger does not know. */
async function unknownScans(db: Executor, countId: string): Promise<UnknownScan[]> {
  const rows = await db
    .selectFrom('count_scan as s')
    .innerJoin('location as l', 'l.id', 's.location_id')
    .select(['s.serial', 'l.code', 's.actor', 's.scanned_at'])
    .where('s.count_id', '=', countId)
    .where('s.kind', '=', 'unknown')
    .where('s.voided_seq', 'is', null)
    .orderBy('s.event_seq')
    .execute()
  return rows.map((r) => ({ serial: r.serial ?? '', seenAt: r.code, scannedBy: r.actor, scannedAt: r.scanned_at }))
}

/**
 * Counted quantity against the quantity on hand as the ledger had it when it was counted, per SKU, lot
 * and location of the count's scope. A row's scans are judged at its latest scan: what moved on that
 * row after it (a sale, a receipt, a move while the store trades) is taken back out of today's on hand,
 * so trading after the scan never shows as a variance. A row nobody counted is judged only if nothing
 * moved on it since the count started (as a unit is), at the quantity it had then.
 */
async function quantityVariances(db: Executor, count: CountFact): Promise<QuantityVariance[]> {
  const counted = await db
    .selectFrom('count_scan as s')
    .select(['s.sku_id', 's.lot_id', 's.location_id', (eb) => eb.fn.sum<number>('s.quantity').as('n')])
    .select((eb) => eb.fn.max('s.event_seq').as('last_seq'))
    .where('s.count_id', '=', count.id)
    .where('s.kind', '=', 'quantity')
    .where('s.voided_seq', 'is', null)
    .groupBy(['s.sku_id', 's.lot_id', 's.location_id'])
    .execute()
  const onHand = await db
    .selectFrom('stock as st')
    .innerJoin('location as l', 'l.id', 'st.location_id')
    .innerJoin('sku as k', 'k.id', 'st.sku_id')
    .select(['st.sku_id', 'st.lot_id', 'st.location_id', 'st.quantity'])
    .where('l.path', 'like', `${count.location.path}%`)
    .where('k.tracking', '!=', 'serial')
    .where('st.quantity', '!=', 0)
    .$if(count.skuIds.length > 0, (q) => q.where('st.sku_id', 'in', [...count.skuIds]))
    .execute()
  // Stock changes in the count's scope since it started (a count's own scans are counts, not changes).
  const moves = await db
    .selectFrom('event_quantity as q')
    .innerJoin('event as e', 'e.seq', 'q.event_seq')
    .innerJoin('location as l', 'l.id', 'q.location_id')
    .select(['q.sku_id', 'q.lot_id', 'q.location_id', 'q.event_seq', 'q.delta'])
    .where('q.event_seq', '>', count.startedSeq)
    .where('e.type', '!=', 'counted')
    .where('l.path', 'like', `${count.location.path}%`)
    .$if(count.skuIds.length > 0, (q) => q.where('q.sku_id', 'in', [...count.skuIds]))
    .execute()
  const key = (r: { sku_id: string | null; lot_id: string | null; location_id: string }) =>
    `${r.sku_id}|${r.lot_id ?? ''}|${r.location_id}`
  const lines = new Map<
    string,
    {
      skuId: string
      lotId: string | null
      locationId: string
      counted: number
      onHand: number
      lastSeq: number | null
      expected: number
    }
  >()
  const lineOf = (r: { sku_id: string | null; lot_id: string | null; location_id: string }) =>
    lines.get(key(r)) ??
    lines
      .set(key(r), {
        skuId: r.sku_id!,
        lotId: r.lot_id,
        locationId: r.location_id,
        counted: 0,
        onHand: 0,
        lastSeq: null,
        expected: 0,
      })
      .get(key(r))!
  for (const r of counted) Object.assign(lineOf(r), { counted: Number(r.n), lastSeq: Number(r.last_seq) })
  for (const r of onHand) lineOf(r).onHand += Number(r.quantity)
  const movedSince = new Map<string, { seq: number; delta: number }[]>()
  for (const m of moves) {
    const list = movedSince.get(key(m)) ?? movedSince.set(key(m), []).get(key(m))!
    list.push({ seq: Number(m.event_seq), delta: Number(m.delta) })
  }
  const judged = [...lines.entries()].flatMap(([k, l]) => {
    const moved = movedSince.get(k) ?? []
    if (l.lastSeq === null && moved.length > 0) return []
    const after = moved.filter((m) => l.lastSeq === null || m.seq > l.lastSeq).reduce((n, m) => n + m.delta, 0)
    return [{ ...l, expected: l.onHand - after }]
  })
  const differing = judged.filter((l) => l.counted !== l.expected)
  if (differing.length === 0) return []
  const skus = new Map(
    (
      await db
        .selectFrom('sku')
        .select(['id', 'code', 'name', 'allow_negative', 'cost_minor'])
        .where('id', 'in', [...new Set(differing.map((l) => l.skuId))])
        .execute()
    ).map((s) => [s.id, s]),
  )
  const locations = new Map(
    (
      await db
        .selectFrom('location')
        .select(['id', 'code', 'path'])
        .where('id', 'in', [...new Set(differing.map((l) => l.locationId))])
        .execute()
    ).map((l) => [l.id, l]),
  )
  const lotIds = differing.map((l) => l.lotId).filter((id): id is string => id !== null)
  const lots = new Map(
    lotIds.length === 0
      ? []
      : (await db.selectFrom('lot').select(['id', 'code']).where('id', 'in', lotIds).execute()).map((l) => [
          l.id,
          l.code,
        ]),
  )
  return differing.map((l) => {
    const sku = skus.get(l.skuId)!
    return {
      sku: { id: sku.id, code: sku.code, allowNegative: sku.allow_negative === 1 },
      skuName: sku.name,
      lotId: l.lotId,
      lotCode: l.lotId ? (lots.get(l.lotId) ?? null) : null,
      location: locations.get(l.locationId)!,
      delta: l.counted - l.expected,
      priceMinor: null,
      onHand: l.onHand,
      expected: l.expected,
      counted: l.counted,
      costMinor: Number(sku.cost_minor),
    }
  })
}

/** What counters may see of a count: how many scans so far, per location, and the latest ones. */
export async function countTally(db: Executor, count: CountFact) {
  const perLocation = await db
    .selectFrom('count_scan as s')
    .innerJoin('location as l', 'l.id', 's.location_id')
    .select([
      'l.code',
      (eb) => eb.fn.countAll<number>().as('scans'),
      (eb) => eb.fn.sum<number>('s.quantity').as('units'),
    ])
    .where('s.count_id', '=', count.id)
    .where('s.voided_seq', 'is', null)
    .groupBy('l.code')
    .orderBy('l.code')
    .execute()
  const latest = await db
    .selectFrom('count_scan as s')
    .innerJoin('location as l', 'l.id', 's.location_id')
    .leftJoin('sku as k', 'k.id', 's.sku_id')
    .select(['s.scan_key', 's.kind', 's.serial', 'k.code as sku', 's.quantity', 'l.code as location', 's.actor'])
    .select(['s.scanned_at', 's.is_repeat'])
    .where('s.count_id', '=', count.id)
    .where('s.voided_seq', 'is', null)
    .orderBy('s.event_seq', 'desc')
    .limit(50)
    .execute()
  return {
    perLocation: perLocation.map((r) => ({ location: r.code, scans: Number(r.scans), units: Number(r.units) })),
    latest: latest.map((r) => ({
      key: r.scan_key,
      kind: r.kind as 'unit' | 'quantity' | 'unknown',
      serial: r.serial,
      sku: r.sku,
      quantity: Number(r.quantity),
      location: r.location,
      scannedBy: r.actor,
      scannedAt: r.scanned_at,
      isRepeat: r.is_repeat === 1,
    })),
  }
}
