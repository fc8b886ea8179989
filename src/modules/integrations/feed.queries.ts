import type { Executor } from '../../db/database.js'
import { toStoredEvent } from '../ledger/index.js'
import { FEED_MAX_UNITS_PER_EVENT, type FeedEvent, type FeedPage } from './feed.schemas.js'

/**
 * One page of the feed: events after place `afterPos` in log order, each with its units and quantities
 * by code. The cursor is the last place sent (the seq on the locked path), so a reader that stores it
 * after processing a page reads each event at least once, and exactly once when it does not crash in
 * between.
 */
export async function readFeed(db: Executor, afterPos: number, limit: number): Promise<FeedPage> {
  const rows = await db
    .selectFrom('event')
    .selectAll()
    .where('log_pos', '>', afterPos)
    .orderBy('log_pos')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const events = await feedEvents(db, page)
  const last = page.at(-1)?.log_pos ?? afterPos
  return { events, cursor: String(last), hasMore: rows.length > limit }
}

/** Feed events of the given seqs (what a webhook delivery sends), in log order. */
export async function feedEventsBySeq(db: Executor, seqs: readonly number[]): Promise<FeedEvent[]> {
  if (seqs.length === 0) return []
  const rows = await db.selectFrom('event').selectAll().where('seq', 'in', seqs).orderBy('log_pos').execute()
  return feedEvents(db, rows)
}

type EventRow = Parameters<typeof toStoredEvent>[0]

async function feedEvents(db: Executor, rows: readonly EventRow[]): Promise<FeedEvent[]> {
  if (rows.length === 0) return []
  const events = rows.map(toStoredEvent)
  const seqs = events.map((e) => e.seq)
  const withUnits = events.filter((e) => e.unitCount > 0).map((e) => e.seq)
  const withQuantities = events.filter((e) => e.quantityLineCount > 0).map((e) => e.seq)
  const locationIds = [...new Set(events.flatMap((e) => [e.locationId, e.fromLocationId]).filter((x) => x !== null))]
  const documentIds = [...new Set(events.map((e) => e.documentId).filter((x) => x !== null))]
  const [units, quantities, locations, documents] = await Promise.all([
    withUnits.length === 0
      ? []
      : db
          .selectFrom('event_unit as u')
          .innerJoin('sku', 'sku.id', 'u.sku_id')
          .select(['u.event_seq', 'u.serial', 'sku.code as sku', 'u.price_minor'])
          .where('u.event_seq', 'in', withUnits)
          .where('u.line_no', '<=', FEED_MAX_UNITS_PER_EVENT)
          .orderBy('u.event_seq')
          .orderBy('u.line_no')
          .execute(),
    withQuantities.length === 0
      ? []
      : db
          .selectFrom('event_quantity as q')
          .innerJoin('sku', 'sku.id', 'q.sku_id')
          .innerJoin('location', 'location.id', 'q.location_id')
          .leftJoin('lot', 'lot.id', 'q.lot_id')
          .select(['q.event_seq', 'sku.code as sku', 'lot.code as lot', 'location.code as location', 'q.delta'])
          .where('q.event_seq', 'in', withQuantities)
          .orderBy('q.event_seq')
          .orderBy('q.line_no')
          .execute(),
    locationIds.length === 0
      ? []
      : db.selectFrom('location').select(['id', 'code']).where('id', 'in', locationIds).execute(),
    documentIds.length === 0
      ? []
      : db.selectFrom('document').select(['id', 'type', 'number']).where('id', 'in', documentIds).execute(),
  ])
  const codeOf = new Map(locations.map((l) => [l.id, l.code]))
  const documentOf = new Map(documents.map((d) => [d.id, { type: d.type, number: d.number }]))
  const bySeq = new Map(
    seqs.map((s) => [s, { units: [] as FeedEvent['units'], quantities: [] as FeedEvent['quantities'] }]),
  )
  for (const u of units)
    bySeq.get(Number(u.event_seq))!.units.push({
      serial: u.serial,
      sku: u.sku,
      priceMinor: u.price_minor === null ? null : Number(u.price_minor),
    })
  for (const q of quantities)
    bySeq.get(Number(q.event_seq))!.quantities.push({
      sku: q.sku,
      lot: q.lot,
      location: q.location,
      delta: Number(q.delta),
    })
  return events.map((e) => ({
    id: e.id,
    seq: e.seq,
    logPos: e.logPos,
    type: e.type,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    actor: e.actor,
    location: e.locationId === null ? null : (codeOf.get(e.locationId) ?? null),
    fromLocation: e.fromLocationId === null ? null : (codeOf.get(e.fromLocationId) ?? null),
    reason: e.reason,
    document: e.documentId === null ? null : (documentOf.get(e.documentId) ?? null),
    payload: JSON.parse(e.payload) as Record<string, unknown>,
    unitCount: e.unitCount,
    ...bySeq.get(e.seq)!,
  }))
}
