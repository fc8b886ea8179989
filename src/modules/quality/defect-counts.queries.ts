import { type ExpressionBuilder, sql } from 'kysely'
import type { Database, Executor } from '../../db/database.js'
import type { UnitEventType } from '../units/unit-status.rules.js'
import { FAILED_INSPECTION } from './quality.rules.js'

/*
 * The counts behind the defect analysis, each one grouped SQL statement over the ledger's lines and a
 * covering index, so a million units are never walked one by one (in SQL or here):
 *
 * - units per SKU, receipt, lot and supplier: one scan of `unit_analysis_ix`, grouped in index order;
 * - the units hit (failed by an inspection, or returned by a customer) per receipt, SKU and lot: from the
 *   hit events' own lines, each joined to its unit's `received` line (a unit is received exactly once;
 *   that line's event is its receipt, its time the unit's `received_at`) through `event_unit_unit_ix`;
 * - per place (a location, or a site with everything beneath it) the units that arrived there: those
 *   received there (the groups above, by their receipt's location) plus, as a grouped distinct, those a
 *   later arrival (move, transfer, return, found) brought there that were not received there; and the hit
 *   units that arrived there, as a grouped distinct over their arrival lines.
 *
 * `CROSS JOIN … WHERE` is an inner join in both dialects; SQLite also keeps the order as written, which
 * starts each query from the few hit events instead of the million received lines.
 */

/** The events by which a unit arrives at a location: "passed through" is read from these ledger lines. */
export const ARRIVALS: readonly UnitEventType[] = ['received', 'moved', 'transfer_received', 'returned', 'found']
/** Arrivals after the receipt: only these can bring a unit to a place again. */
const LATER_ARRIVALS = ARRIVALS.filter((t) => t !== 'received')

export type HitSet = 'failed' | 'returned'
export type Place = 'location' | 'site'

/** Which units the analysis covers: received in the period, of the SKUs asked. */
export interface Scope {
  from?: string
  to?: string
  skuIds?: string[]
}

/** Units of one SKU, receipt, lot and supplier, and how many of them were hit. */
export interface UnitGroup {
  sku: string
  receipt: string | null
  lot: string | null
  supplier: string | null
  units: number
  defective: number
  returned: number
}

export interface PlaceCounts {
  key: string
  units: number
  defective: number
  returned: number
}

type Eb = ExpressionBuilder<Database, any>

/** The hit events (aliased `hv`): a failed inspection, with or without its quarantine, or a customer return. */
const isHit = (set: HitSet) =>
  set === 'failed'
    ? sql<boolean>`hv.type in ('inspected', 'quarantined') and hv.reason = ${FAILED_INSPECTION}`
    : sql<boolean>`hv.type = 'returned'`

/** The unit's `received` line (`re`, its event `rv`): its receipt, where and when it was received. */
const receivedLine = (eb: Eb, unitRef: string) =>
  eb
    .selectFrom('event_unit as re')
    .innerJoin('event as rv', 'rv.seq', 're.event_seq')
    .select(sql<number>`1`.as('one'))
    .whereRef('re.unit_id', '=', unitRef as never)
    .where('rv.type', '=', sql.lit('received'))

/** A unit (by its id column) was received in the scope's period; true without a period. */
const receivedInPeriod = (eb: Eb, unitRef: string, s: Scope) =>
  eb.exists(
    receivedLine(eb, unitRef)
      .$if(s.from !== undefined, (q) => q.where('rv.occurred_at', '>=', s.from!))
      .$if(s.to !== undefined, (q) => q.where('rv.occurred_at', '<', s.to!)),
  )

/** Units per SKU, receipt, lot and supplier, in scope: one scan of the covering index, in its order. */
export async function unitGroups(db: Executor, s: Scope): Promise<UnitGroup[]> {
  const rows = await db
    .selectFrom('unit as u')
    .select(['u.sku_id', 'u.receipt_id', 'u.lot_id', 'u.supplier_id', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(s.skuIds !== undefined, (q) => q.where('u.sku_id', 'in', s.skuIds!))
    .$if(s.from !== undefined, (q) => q.where('u.received_at', '>=', s.from!))
    .$if(s.to !== undefined, (q) => q.where('u.received_at', '<', s.to!))
    .groupBy(['u.sku_id', 'u.receipt_id', 'u.lot_id', 'u.supplier_id'])
    .execute()
  return rows.map((r) => ({
    sku: r.sku_id,
    receipt: r.receipt_id,
    lot: r.lot_id,
    supplier: r.supplier_id,
    units: Number(r.n),
    defective: 0,
    returned: 0,
  }))
}

const groupKey = (sku: string, receipt: string | null, lot: string | null) => `${sku}|${receipt ?? ''}|${lot ?? ''}`

/**
 * The place an arrival line's event (`pv`) counts for: its location, or the site above it (the tree is
 * site > zone > bin, so the site is the highest of the location, its parent and its grandparent).
 */
const placeOf = (place: Place, event: 'pv' | 'rv') => {
  const [l, z, st] = event === 'pv' ? ['pl', 'pz', 'ps'] : ['rl', 'rz', 'rs']
  return place === 'location'
    ? sql<string>`${sql.ref(`${event}.location_id`)}`
    : sql<string>`coalesce(${sql.ref(`${st}.id`)}, ${sql.ref(`${z}.id`)}, ${sql.ref(`${l}.id`)})`
}

/** Joins an event's location and, for sites, the two levels above it. */
function withPlace<Q extends { leftJoin: (...a: any[]) => any }>(q: Q, place: Place, event: 'pv' | 'rv'): Q {
  if (place === 'location') return q
  const [l, z, st] = event === 'pv' ? ['pl', 'pz', 'ps'] : ['rl', 'rz', 'rs']
  return q
    .leftJoin(`location as ${l}`, `${l}.id`, `${event}.location_id`)
    .leftJoin(`location as ${z}`, `${z}.id`, `${l}.parent_id`)
    .leftJoin(`location as ${st}`, `${st}.id`, `${z}.parent_id`) as Q
}

interface Hits {
  /** Hit units per place they arrived at (each unit once per place). */
  byPlace: Map<string, number>
  /** Hit units per SKU, receipt and lot (each unit once: counted on its own `received` line only). */
  byGroup: Map<string, number>
}

/**
 * Hit units per place they arrived at, and per group, in one grouped statement: each hit line is joined
 * to its unit's `received` line (`re`, the unit's receipt and time) and to every arrival line (`pe`).
 * Grouping by place and the unit's own SKU, receipt and lot keeps each unit in one group per place, so
 * summing a place's groups is exact; the receipt's line of each unit is one of its arrivals, exactly once.
 */
async function hitsByPlace(db: Executor, set: HitSet, place: Place, s: Scope): Promise<Hits> {
  const key = placeOf(place, 'pv')
  const q = db
    .selectFrom('event as hv')
    .crossJoin('event_unit as h')
    .crossJoin('event_unit as re')
    .crossJoin('event as rv')
    .crossJoin('event_unit as pe')
    .crossJoin('event as pv')
    .where(isHit(set))
    .whereRef('h.event_seq', '=', 'hv.seq')
    .whereRef('re.unit_id', '=', 'h.unit_id')
    .whereRef('rv.seq', '=', 're.event_seq')
    .where('rv.type', '=', sql.lit('received'))
    .whereRef('pe.unit_id', '=', 'h.unit_id')
    .whereRef('pv.seq', '=', 'pe.event_seq')
    .where('pv.type', 'in', ARRIVALS)
    .where('pv.location_id', 'is not', null)
    .$if(s.skuIds !== undefined, (w) => w.where('h.sku_id', 'in', s.skuIds!))
    .$if(s.from !== undefined, (w) => w.where('rv.occurred_at', '>=', s.from!))
    .$if(s.to !== undefined, (w) => w.where('rv.occurred_at', '<', s.to!))
  const rows = await withPlace(q, place, 'pv')
    .select([
      key.as('place'),
      'rv.document_id',
      'h.sku_id',
      'h.lot_id',
      sql<number>`count(distinct h.unit_id)`.as('n'),
      sql<number>`count(distinct case when pe.event_seq = rv.seq then h.unit_id end)`.as('received'),
    ])
    .groupBy([key, 'rv.document_id', 'h.sku_id', 'h.lot_id'])
    .execute()
  const out: Hits = { byPlace: new Map(), byGroup: new Map() }
  for (const r of rows as {
    place: string
    document_id: string
    sku_id: string
    lot_id: string | null
    n: number
    received: number
  }[]) {
    out.byPlace.set(r.place, (out.byPlace.get(r.place) ?? 0) + Number(r.n))
    const g = groupKey(r.sku_id, r.document_id, r.lot_id)
    out.byGroup.set(g, (out.byGroup.get(g) ?? 0) + Number(r.received))
  }
  return out
}

/** Units (each once) a later arrival brought to a place they were not received at, in scope. */
async function arrivedLaterByPlace(db: Executor, place: Place, s: Scope): Promise<Map<string, number>> {
  const key = placeOf(place, 'pv')
  const q = db
    .selectFrom('event as pv')
    .crossJoin('event_unit as pe')
    .whereRef('pe.event_seq', '=', 'pv.seq')
    .where('pv.type', 'in', LATER_ARRIVALS)
    .where('pv.location_id', 'is not', null)
    .$if(s.skuIds !== undefined, (w) => w.where('pe.sku_id', 'in', s.skuIds!))
    .$if(s.from !== undefined || s.to !== undefined, (w) => w.where((eb) => receivedInPeriod(eb, 'pe.unit_id', s)))
  const rows = await withPlace(q, place, 'pv')
    .where((eb: Eb) =>
      eb.not(eb.exists(withPlace(receivedLine(eb, 'pe.unit_id'), place, 'rv').where(placeOf(place, 'rv'), '=', key))),
    )
    .select([key.as('place'), sql<number>`count(distinct pe.unit_id)`.as('n')])
    .groupBy(key)
    .execute()
  return new Map(rows.map((r: { place: string; n: number }) => [r.place, Number(r.n)]))
}

/** Each location's site (itself for a site): from the location tree, site > zone > bin. */
async function sitesOf(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('location').select(['id', 'parent_id']).execute()
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]))
  const site = (id: string): string => {
    const up = parent.get(id)
    return up ? site(up) : id
  }
  return new Map(rows.map((r) => [r.id, site(r.id)]))
}

/** Units per place (location or site) the units arrived at: received there, or brought there later. */
async function unitsByPlace(db: Executor, groups: readonly UnitGroup[], place: Place, s: Scope) {
  // Received there: each receipt is one `received` event at one location.
  const receipts = await db
    .selectFrom('event')
    .select(['document_id', 'location_id'])
    .where('type', '=', sql.lit('received'))
    .execute()
  const sites = place === 'site' ? await sitesOf(db) : undefined
  const placeOfReceipt = new Map(
    receipts.map((r) => [r.document_id, sites ? sites.get(r.location_id!) : r.location_id]),
  )
  const units = new Map<string, number>()
  const add = (k: string | null | undefined, n: number) => {
    if (k) units.set(k, (units.get(k) ?? 0) + n)
  }
  for (const g of groups) add(placeOfReceipt.get(g.receipt ?? ''), g.units)
  for (const [k, n] of await arrivedLaterByPlace(db, place, s)) add(k, n)
  return units
}

/**
 * The defect analysis's counts for the units in scope: per SKU, receipt, lot and supplier (units, hit
 * units), and per place asked (location, site) the units that arrived there and how many were hit.
 */
export async function countUnits(
  db: Executor,
  s: Scope,
  places: readonly Place[],
): Promise<{ groups: UnitGroup[]; places: Map<Place, PlaceCounts[]> }> {
  const groups = await unitGroups(db, s)
  const byKey = new Map(groups.map((g) => [groupKey(g.sku, g.receipt, g.lot), g]))
  const hits = new Map<string, Map<string, number>>()
  for (const set of ['failed', 'returned'] as const) {
    const located = await hitsByPlace(db, set, 'location', s)
    for (const [k, n] of located.byGroup) {
      const g = byKey.get(k)
      if (g) g[set === 'failed' ? 'defective' : 'returned'] += n
    }
    hits.set(`location:${set}`, located.byPlace)
    if (places.includes('site')) hits.set(`site:${set}`, (await hitsByPlace(db, set, 'site', s)).byPlace)
  }
  const out = new Map<Place, PlaceCounts[]>()
  for (const place of places) {
    const units = await unitsByPlace(db, groups, place, s)
    const [defective, returned] = [hits.get(`${place}:failed`)!, hits.get(`${place}:returned`)!]
    out.set(
      place,
      [...units].map(([key, n]) => ({
        key,
        units: n,
        defective: defective.get(key) ?? 0,
        returned: returned.get(key) ?? 0,
      })),
    )
  }
  return { groups, places: out }
}
