/*
 * The read side of theft protection: shrinkage (what was posted lost, where it was last seen, against
 * stock value), a unit's custody chain, and the exceptions worth a look. Everything is read from the
 * ledger and its projections.
 */
import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { lineTakes } from '../ledger/index.js'
import {
  LOCATED_STATUSES,
  lineTransitionOf,
  unitTimeline,
  type UnitEventType,
  type UnitStatus,
} from '../units/index.js'
import {
  adjustmentsAbove,
  custodyChain,
  type CustodyStep,
  daysBetween,
  type Loss,
  type Period,
  repeatedLosses,
  type ShrinkageSummary,
  type StockException,
  summarizeShrinkage,
} from './shrinkage.rules.js'

export interface ShrinkageQuery {
  from: string
  to: string
  location?: string
  sku?: string
  period: Period
}

/** A unit posted lost in the period, with its last-seen event: when, where, what and who. */
export interface LostUnit {
  unitId: string
  serial: string
  sku: string
  status: string
  lostAt: string
  lostBy: string
  reason: string | null
  document: string | null
  valueMinor: number
  lastSeen: { at: string; location: string | null; type: string; actor: string } | null
}

export interface ShrinkageReport {
  summary: ShrinkageSummary
  units: LostUnit[]
}

/** Shrinkage by location, SKU and period, with every lost unit and its last-seen event. */
export async function shrinkageReport(db: Executor, q: ShrinkageQuery): Promise<ShrinkageReport> {
  const scopePath = q.location
    ? (await db.selectFrom('location').select('path').where('code', '=', q.location).executeTakeFirst())?.path
    : undefined
  const units = (await lostUnits(db, q)).filter((u) => !scopePath || (u.path ?? '').startsWith(scopePath))
  const quantities = (await lostQuantities(db, q)).filter((l) => !scopePath || l.path.startsWith(scopePath))
  const losses: Loss[] = [
    ...units.map((u) => ({
      eventSeq: u.eventSeq,
      occurredAt: u.lostAt,
      location: u.lastSeen?.location ?? null,
      sku: u.sku,
      skuName: u.skuName,
      units: 1,
      quantity: 0,
      valueMinor: u.valueMinor,
    })),
    ...quantities,
  ]
  const stock = await stockValueByLocation(db, q.sku)
  const inScope = new Map(
    [...stock].filter(([, v]) => !scopePath || v.path.startsWith(scopePath)).map(([k, v]) => [k, v.minor]),
  )
  return {
    summary: summarizeShrinkage(losses, inScope, q.period),
    units: units.map(({ path: _path, skuName: _name, eventSeq: _seq, ...u }) => u),
  }
}

async function lostUnits(db: Executor, q: ShrinkageQuery) {
  const rows = await db
    .selectFrom('event_unit as eu')
    .innerJoin('event as e', 'e.seq', 'eu.event_seq')
    .innerJoin('unit as u', 'u.id', 'eu.unit_id')
    .innerJoin('sku as k', 'k.id', 'u.sku_id')
    .leftJoin('document as d', 'd.id', 'e.document_id')
    .select(['eu.unit_id', 'eu.serial', 'e.seq', 'e.occurred_at', 'e.actor', 'e.reason', 'd.number'])
    .select(['u.status', 'u.cost_minor', 'k.code as sku', 'k.name as sku_name'])
    .select((eb) =>
      eb
        .selectFrom('event_unit as p')
        .innerJoin('event as pe', 'pe.seq', 'p.event_seq')
        .select((m) => m.fn.max('pe.seq').as('m'))
        .whereRef('p.unit_id', '=', 'eu.unit_id')
        .whereRef('p.event_seq', '<', 'eu.event_seq')
        .where((w) => w.or([w('pe.location_id', 'is not', null), w('pe.from_location_id', 'is not', null)]))
        .as('last_seen_seq'),
    )
    .where(lineTakes(['lost']))
    .where('e.occurred_at', '>=', q.from)
    .where('e.occurred_at', '<', q.to)
    .$if(q.sku !== undefined, (b) => b.where('k.code', '=', q.sku!))
    .orderBy('e.seq')
    .execute()
  const seen = await lastSightings(
    db,
    rows.flatMap((r) => (r.last_seen_seq === null ? [] : [{ seq: Number(r.last_seen_seq), unitId: r.unit_id }])),
  )
  return rows.map((r) => {
    const last = r.last_seen_seq === null ? undefined : seen.get(`${r.last_seen_seq}|${r.unit_id}`)
    return {
      unitId: r.unit_id,
      serial: r.serial,
      sku: r.sku,
      skuName: r.sku_name,
      status: r.status,
      eventSeq: Number(r.seq),
      lostAt: r.occurred_at,
      lostBy: r.actor,
      reason: r.reason,
      document: r.number,
      valueMinor: Number(r.cost_minor ?? 0),
      path: last?.path ?? null,
      lastSeen: last ? { at: last.at, location: last.location, type: last.type, actor: last.actor } : null,
    }
  })
}

interface Sighting {
  at: string
  location: string | null
  path: string | null
  type: string
  actor: string
}

/**
 * Each unit's sighting at the event named, keyed `seq|unitId`: the event's location, or, on a line naming
 * its own transition (a count's close), the line's (where the unit was moved or found; the count's
 * location for a unit it posted lost).
 */
async function lastSightings(db: Executor, wanted: readonly { seq: number; unitId: string }[]) {
  const out = new Map<string, Sighting>()
  for (let i = 0; i < wanted.length; i += 500) {
    const part = wanted.slice(i, i + 500)
    const lines = await db
      .selectFrom('event_unit as eu')
      .innerJoin('event as e', 'e.seq', 'eu.event_seq')
      .select(['e.seq', 'e.occurred_at', 'e.type', 'e.actor', 'e.location_id', 'e.from_location_id'])
      .select(['eu.unit_id', 'eu.attributes'])
      .where('eu.event_seq', 'in', [...new Set(part.map((w) => w.seq))])
      .where('eu.unit_id', 'in', [...new Set(part.map((w) => w.unitId))])
      .execute()
    const placed = lines.map((l) => {
      const own = lineTransitionOf(l.type as UnitEventType, l.location_id, l.attributes)
      const locationId =
        own.type === l.type || own.type === 'lost' ? (l.location_id ?? l.from_location_id) : own.locationId
      return { ...l, locationId }
    })
    const ids = [...new Set(placed.map((l) => l.locationId).filter((id) => id !== null))]
    const places = new Map(
      ids.length === 0
        ? []
        : (await db.selectFrom('location').select(['id', 'code', 'path']).where('id', 'in', ids).execute()).map((l) => [
            l.id,
            l,
          ]),
    )
    for (const l of placed) {
      const place = l.locationId === null ? undefined : places.get(l.locationId)
      out.set(`${l.seq}|${l.unit_id}`, {
        at: l.occurred_at,
        location: place?.code ?? null,
        path: place?.path ?? null,
        type: l.type,
        actor: l.actor,
      })
    }
  }
  return out
}

async function lostQuantities(db: Executor, q: ShrinkageQuery): Promise<(Loss & { path: string })[]> {
  const rows = await db
    .selectFrom('event_quantity as eq')
    .innerJoin('event as e', 'e.seq', 'eq.event_seq')
    .innerJoin('sku as k', 'k.id', 'eq.sku_id')
    .innerJoin('location as l', 'l.id', 'eq.location_id')
    .select(['e.seq', 'e.occurred_at', 'eq.delta', 'k.code', 'k.name', 'k.cost_minor', 'l.code as loc', 'l.path'])
    // A count's close posts its variances as quantity lines: the negative ones are its losses.
    .where((eb) =>
      eb.or([eb('e.type', '=', 'lost'), eb.and([eb('e.type', '=', 'count_closed'), eb('eq.delta', '<', 0)])]),
    )
    .where('e.occurred_at', '>=', q.from)
    .where('e.occurred_at', '<', q.to)
    .$if(q.sku !== undefined, (b) => b.where('k.code', '=', q.sku!))
    .execute()
  return rows.map((r) => ({
    eventSeq: Number(r.seq),
    occurredAt: r.occurred_at,
    location: r.loc,
    path: r.path,
    sku: r.code,
    skuName: r.name,
    units: 0,
    quantity: -Number(r.delta),
    valueMinor: -Number(r.delta) * Number(r.cost_minor),
  }))
}

/** Stock value at cost per location code now: units in a located status and quantities on hand. */
async function stockValueByLocation(db: Executor, sku?: string): Promise<Map<string, { path: string; minor: number }>> {
  const units = await db
    .selectFrom('unit as u')
    .innerJoin('location as l', 'l.id', 'u.location_id')
    .innerJoin('sku as k', 'k.id', 'u.sku_id')
    .select(['l.code', 'l.path', (eb) => eb.fn.sum<number>(sql`coalesce(u.cost_minor, k.cost_minor)`).as('v')])
    .where('u.status', 'in', LOCATED_STATUSES)
    .$if(sku !== undefined, (b) => b.where('k.code', '=', sku!))
    .groupBy(['l.code', 'l.path'])
    .execute()
  const quantities = await db
    .selectFrom('stock as s')
    .innerJoin('location as l', 'l.id', 's.location_id')
    .innerJoin('sku as k', 'k.id', 's.sku_id')
    .select(['l.code', 'l.path', (eb) => eb.fn.sum<number>(sql`s.quantity * k.cost_minor`).as('v')])
    .where('s.quantity', '>', 0)
    .$if(sku !== undefined, (b) => b.where('k.code', '=', sku!))
    .groupBy(['l.code', 'l.path'])
    .execute()
  const out = new Map<string, { path: string; minor: number }>()
  for (const r of [...units, ...quantities]) {
    const at = out.get(r.code) ?? out.set(r.code, { path: r.path, minor: 0 }).get(r.code)!
    at.minor += Number(r.v)
  }
  return out
}

/** A unit's custody chain: every actor and location in ledger order (its timeline's events, folded). */
export async function custodyOf(db: Executor, unitId: string): Promise<CustodyStep[]> {
  // A count's close line takes its own transition (a unit it posted lost leaves our locations).
  return custodyChain((await unitTimeline(db, unitId)).map((e) => ({ ...e, type: e.transition ?? e.type })))
}

export interface ExceptionQuery {
  now: Date
  /** Units in transit, or never put away, for longer than this many days. */
  days: number
  /** A user's adjustments above this value (minor units) in the period. */
  thresholdMinor: number
  /** Losses at one location in at least this many events in the period. */
  repeatedLosses: number
  from: string
  to: string
}

/** An exception about one unit: where, who, its value at cost and when, from a query's row. */
const unitException = (
  kind: StockException['kind'],
  reason: string,
  r: { code: string | null; serial: string | null; actor: string; cost_minor: number | null; occurred_at: string },
): StockException => ({
  kind,
  reason,
  location: r.code,
  serial: r.serial,
  actor: r.actor,
  valueMinor: r.cost_minor === null ? null : Number(r.cost_minor),
  at: r.occurred_at,
})

/** Units in a status whose last event (`e`) is older than the cutoff: the first 1000. */
const unitsStuckSince = (db: Executor, status: UnitStatus, cutoff: string) =>
  db
    .selectFrom('unit as u')
    .innerJoin('event as e', 'e.seq', 'u.last_event_seq')
    .select(['u.serial', 'u.cost_minor', 'e.occurred_at', 'e.actor'])
    .where('u.status', '=', status)
    .where('e.occurred_at', '<', cutoff)
    .limit(1000)

/** Exceptions worth a look, each with its reason and the location a count task would go to. */
export async function stockExceptions(db: Executor, q: ExceptionQuery): Promise<StockException[]> {
  const cutoff = new Date(q.now.getTime() - q.days * 86_400_000).toISOString()
  const out: StockException[] = []
  const transit = await unitsStuckSince(db, 'in_transit', cutoff)
    .leftJoin('location as l', 'l.id', 'e.from_location_id')
    .leftJoin('document as d', 'd.id', 'u.transfer_id')
    .select(['l.code', 'd.number'])
    .execute()
  for (const r of transit)
    out.push(
      unitException(
        'in_transit_too_long',
        `in transit for ${daysBetween(r.occurred_at, q.now)} days on ${r.number ?? 'a transfer'}`,
        r,
      ),
    )
  const unplaced = await unitsStuckSince(db, 'in_stock', cutoff)
    .innerJoin('location as l', 'l.id', 'u.location_id')
    .select('l.code')
    .where('e.type', '=', sql.lit('received'))
    .execute()
  for (const r of unplaced)
    out.push(
      unitException(
        'never_put_away',
        `received at ${r.code} ${daysBetween(r.occurred_at, q.now)} days ago and never put away`,
        r,
      ),
    )
  const soldScanned = await db
    .selectFrom('count_scan as s')
    .innerJoin('location as l', 'l.id', 's.location_id')
    .innerJoin('document as d', 'd.id', 's.count_id')
    .leftJoin('unit as u', 'u.id', 's.unit_id')
    .select(['s.serial', 's.scanned_at', 's.actor', 'l.code', 'd.number', 'u.cost_minor'])
    .where('s.unit_status', '=', 'sold')
    .where('s.scanned_at', '>=', q.from)
    .where('s.scanned_at', '<', q.to)
    .limit(1000)
    .execute()
  for (const r of soldScanned)
    out.push(
      unitException('sold_but_scanned', `${r.serial} was sold, yet scanned at ${r.code} in count ${r.number}`, {
        ...r,
        occurred_at: r.scanned_at,
      }),
    )
  out.push(...adjustmentsAbove(await adjustmentsByActor(db, q), q.thresholdMinor))
  const shrinkage = await shrinkageReport(db, { from: q.from, to: q.to, period: 'month' })
  out.push(...repeatedLosses(shrinkage.summary, q.repeatedLosses, q.to))
  return out
}

/** Per user, the value at cost of the lost, found and scrapped lines they posted in the period. */
async function adjustmentsByActor(db: Executor, q: ExceptionQuery) {
  const types: UnitEventType[] = ['lost', 'found', 'scrapped']
  const units = await db
    .selectFrom('event_unit as eu')
    .innerJoin('event as e', 'e.seq', 'eu.event_seq')
    .innerJoin('unit as u', 'u.id', 'eu.unit_id')
    .select(['e.actor', 'e.seq', 'e.occurred_at', 'u.cost_minor'])
    .where(lineTakes(types))
    .where('e.occurred_at', '>=', q.from)
    .where('e.occurred_at', '<', q.to)
    .execute()
  const quantities = await db
    .selectFrom('event_quantity as eq')
    .innerJoin('event as e', 'e.seq', 'eq.event_seq')
    .innerJoin('sku as k', 'k.id', 'eq.sku_id')
    .innerJoin('location as l', 'l.id', 'eq.location_id')
    .select(['e.actor', 'e.seq', 'e.occurred_at', 'eq.delta', 'k.cost_minor', 'l.code'])
    .where('e.type', 'in', [...types, 'count_closed'])
    .where('e.occurred_at', '>=', q.from)
    .where('e.occurred_at', '<', q.to)
    .execute()
  const byActor = new Map<string, { valueMinor: number; seqs: Set<number>; location: string | null; last: string }>()
  const at = (actor: string) =>
    byActor.get(actor) ?? byActor.set(actor, { valueMinor: 0, seqs: new Set(), location: null, last: '' }).get(actor)!
  for (const r of units) {
    const a = at(r.actor)
    a.valueMinor += Number(r.cost_minor ?? 0)
    a.seqs.add(Number(r.seq))
    if (r.occurred_at > a.last) a.last = r.occurred_at
  }
  for (const r of quantities) {
    const a = at(r.actor)
    a.valueMinor += Math.abs(Number(r.delta)) * Number(r.cost_minor)
    a.seqs.add(Number(r.seq))
    a.location ??= r.code
    if (r.occurred_at > a.last) a.last = r.occurred_at
  }
  return [...byActor].map(([actor, a]) => ({
    actor,
    valueMinor: a.valueMinor,
    events: a.seqs.size,
    location: a.location,
    last: a.last,
  }))
}
