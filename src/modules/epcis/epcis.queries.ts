/*
 * The reads an EPCIS export streams: events in log order with their location, document and party codes,
 * and their unit and quantity lines, each read in pages by keyset (never a whole slice in memory).
 */
import { type SelectQueryBuilder, sql } from 'kysely'
import type { EventTable, Executor } from '../../db/database.js'
import { rowByCode } from '../../db/lookups.js'

/** Which slice of the ledger to export. */
export interface EpcisFilter {
  /** Business time from (inclusive) and to (exclusive), ISO-8601. */
  from?: string
  to?: string
  sku?: string
  /** A location code: events at it or anywhere inside it. */
  location?: string
  /** A unit's serial: the events of that unit, with its line only. */
  serial?: string
  /** A document number: the events of that document. */
  document?: string
}

export const PAGE = 2000

/** An event's own columns, with the codes of its places, document and party. */
export interface EventRow extends Pick<
  EventTable,
  'seq' | 'id' | 'type' | 'occurred_at' | 'recorded_at' | 'actor' | 'reason' | 'unit_count'
> {
  loc_code: string | null
  loc_barcode: string | null
  from_code: string | null
  from_barcode: string | null
  doc_type: string | null
  doc_number: string | null
  party_code: string | null
  to_code: string | null
  to_barcode: string | null
  /** The event's payload (JSON): a packing's container and parent. */
  payload?: string
}

export interface UnitLineRow {
  event_seq: number
  line_no: number
  serial: string
  sku_code: string
  gtin: string | null
  /** The line's extra facts (JSON): on a count's close, the line's own transition and place. */
  attributes: string | null
}

export interface QuantityLineRow {
  event_seq: number
  line_no: number
  sku_code: string
  gtin: string | null
  lot_code: string | null
  loc_code: string
  loc_barcode: string | null
  delta: number
}

/** The ids the filter names, looked up once (undefined: that filter is off; null: it names nothing). */
export interface ResolvedFilter {
  from?: string
  to?: string
  skuId?: string | null
  locationPath?: string | null
  unitId?: string | null
  documentId?: string | null
}

export async function resolveFilter(db: Executor, f: EpcisFilter): Promise<ResolvedFilter> {
  const idOf = (q: { executeTakeFirst(): Promise<{ id: string } | undefined> }) =>
    q.executeTakeFirst().then((r) => r?.id ?? null)
  return {
    ...(f.from !== undefined && { from: f.from }),
    ...(f.to !== undefined && { to: f.to }),
    ...(f.sku !== undefined && { skuId: (await rowByCode(db, 'sku', f.sku))?.id ?? null }),
    ...(f.location !== undefined && { locationPath: (await rowByCode(db, 'location', f.location))?.path ?? null }),
    ...(f.serial !== undefined && {
      unitId: await idOf(db.selectFrom('unit').select('id').where('serial', '=', f.serial)),
    }),
    ...(f.document !== undefined && {
      documentId: await idOf(db.selectFrom('document').select('id').where('number', '=', f.document)),
    }),
  }
}

/** True when a filter names something that does not exist, so the slice is empty. */
export const namesNothing = (f: ResolvedFilter): boolean =>
  [f.skuId, f.locationPath, f.unitId, f.documentId].some((v) => v === null)

// The slice's conditions refer to the outer `e`, which Kysely's types do not follow into subqueries.
type EventQuery = SelectQueryBuilder<any, any, any>

/** Restricts events (aliased `e`) to the filter's slice. */
function sliced<Q extends EventQuery>(db: Executor, q: Q, f: ResolvedFilter): Q {
  let out = q
  if (f.from) out = out.where('e.occurred_at', '>=', f.from) as Q
  if (f.to) out = out.where('e.occurred_at', '<', f.to) as Q
  if (f.documentId) out = out.where('e.document_id', '=', f.documentId) as Q
  if (f.locationPath) {
    const inside = db
      .selectFrom('location as fl')
      .select('fl.id')
      .where(sql<boolean>`substr(fl.path, 1, ${f.locationPath.length}) = ${f.locationPath}`)
    out = out.where((eb) => eb.or([eb('e.location_id', 'in', inside), eb('e.from_location_id', 'in', inside)])) as Q
  }
  if (f.unitId)
    out = out.where((eb) =>
      eb.exists(
        db
          .selectFrom('event_unit as fu')
          .select('fu.event_seq')
          .where('fu.event_seq', '=', sql.ref<number>('e.seq'))
          .where('fu.unit_id', '=', f.unitId!),
      ),
    ) as Q
  if (f.skuId)
    out = out.where((eb) =>
      eb.or([
        eb.exists(
          db
            .selectFrom('event_unit as su')
            .select('su.event_seq')
            .where('su.event_seq', '=', sql.ref<number>('e.seq'))
            .where('su.sku_id', '=', f.skuId!),
        ),
        eb.exists(
          db
            .selectFrom('event_quantity as sq')
            .select('sq.event_seq')
            .where('sq.event_seq', '=', sql.ref<number>('e.seq'))
            .where('sq.sku_id', '=', f.skuId!),
        ),
      ]),
    ) as Q
  return out
}

/** One page of the slice's events after `afterSeq`, in log order. */
export function eventPage(db: Executor, f: ResolvedFilter, afterSeq: number): Promise<EventRow[]> {
  const q = db
    .selectFrom('event as e')
    .leftJoin('location as l', 'l.id', 'e.location_id')
    .leftJoin('location as fl0', 'fl0.id', 'e.from_location_id')
    .leftJoin('document as d', 'd.id', 'e.document_id')
    .leftJoin('party as p', 'p.id', 'd.party_id')
    .leftJoin('location as tl', 'tl.id', 'd.to_location_id')
    .select(['e.seq', 'e.id', 'e.type', 'e.occurred_at', 'e.recorded_at', 'e.actor', 'e.reason', 'e.unit_count'])
    .select(['l.code as loc_code', 'l.barcode as loc_barcode', 'fl0.code as from_code', 'fl0.barcode as from_barcode'])
    .select(['d.type as doc_type', 'd.number as doc_number', 'p.code as party_code'])
    .select(['tl.code as to_code', 'tl.barcode as to_barcode', 'e.payload'])
    .where('e.seq', '>', afterSeq)
    // Every committed event in seq order, which is each unit's log order (see the sequencer).
    .orderBy('e.seq')
    .limit(PAGE)
  return sliced(db, q as unknown as EventQuery, f).execute() as unknown as Promise<EventRow[]>
}

/** One page of the unit lines of events `fromSeq..toSeq` after (seq, line), in order. */
export async function unitLinePage(
  db: Executor,
  f: ResolvedFilter,
  range: { fromSeq: number; toSeq: number },
  after: { seq: number; line: number },
): Promise<UnitLineRow[]> {
  let q = db
    .selectFrom('event_unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .select(['u.event_seq', 'u.line_no', 'u.serial', 's.code as sku_code', 's.gtin', 'u.attributes'])
    .where('u.event_seq', '>=', range.fromSeq)
    .where('u.event_seq', '<=', range.toSeq)
    .where((eb) =>
      eb.or([
        eb('u.event_seq', '>', after.seq),
        eb.and([eb('u.event_seq', '=', after.seq), eb('u.line_no', '>', after.line)]),
      ]),
    )
  if (f.skuId) q = q.where('u.sku_id', '=', f.skuId)
  if (f.unitId) q = q.where('u.unit_id', '=', f.unitId)
  const rows = await q.orderBy('u.event_seq').orderBy('u.line_no').limit(PAGE).execute()
  return rows.map((r) => ({ ...r, event_seq: Number(r.event_seq), line_no: Number(r.line_no) }))
}

/** The quantity lines of events `fromSeq..toSeq` (a few per event: read per page of events). */
export async function quantityLines(
  db: Executor,
  f: ResolvedFilter,
  range: { fromSeq: number; toSeq: number },
): Promise<QuantityLineRow[]> {
  if (f.unitId) return []
  let q = db
    .selectFrom('event_quantity as q')
    .innerJoin('sku as s', 's.id', 'q.sku_id')
    .innerJoin('location as l', 'l.id', 'q.location_id')
    .leftJoin('lot', 'lot.id', 'q.lot_id')
    .select(['q.event_seq', 'q.line_no', 's.code as sku_code', 's.gtin', 'lot.code as lot_code'])
    .select(['l.code as loc_code', 'l.barcode as loc_barcode', 'q.delta'])
    .where('q.event_seq', '>=', range.fromSeq)
    .where('q.event_seq', '<=', range.toSeq)
  if (f.skuId) q = q.where('q.sku_id', '=', f.skuId)
  const rows = await q.orderBy('q.event_seq').orderBy('q.line_no').execute()
  return rows.map((r) => ({ ...r, event_seq: Number(r.event_seq), line_no: Number(r.line_no), delta: Number(r.delta) }))
}

/** Stock a packing put in or took out of its container, with the codes an export names it by. */
export interface PackedLineRow {
  sku_code: string
  gtin: string | null
  lot_code: string | null
  loc_code: string | null
  quantity: number
}

/**
 * The packed quantities of a page's packings (their payloads' `quantities`, by SKU, lot and location id),
 * with the SKU, lot and location codes, by event seq.
 */
export async function packedLinesOf(db: Executor, events: readonly EventRow[]): Promise<Map<number, PackedLineRow[]>> {
  type Line = { skuId: string; lotId: string | null; locationId: string | null; quantity: number }
  const byEvent = new Map<number, Line[]>()
  for (const e of events)
    if (e.type === 'packed' || e.type === 'unpacked') {
      const lines = (JSON.parse(e.payload ?? '{}') as { quantities?: Line[] }).quantities
      if (lines?.length) byEvent.set(Number(e.seq), lines)
    }
  const all = [...byEvent.values()].flat()
  if (all.length === 0) return new Map()
  const ids = (pick: (l: Line) => string | null) => [...new Set(all.map(pick).filter((x): x is string => x !== null))]
  const skus = await db
    .selectFrom('sku')
    .select(['id', 'code', 'gtin'])
    .where(
      'id',
      'in',
      ids((l) => l.skuId),
    )
    .execute()
  const lotIds = ids((l) => l.lotId)
  const lots = lotIds.length
    ? await db.selectFrom('lot').select(['id', 'code']).where('id', 'in', lotIds).execute()
    : []
  const locIds = ids((l) => l.locationId)
  const locs = locIds.length
    ? await db.selectFrom('location').select(['id', 'code']).where('id', 'in', locIds).execute()
    : []
  const sku = new Map(skus.map((s) => [s.id, s]))
  const lot = new Map(lots.map((l) => [l.id, l.code]))
  const loc = new Map(locs.map((l) => [l.id, l.code]))
  return new Map(
    [...byEvent].map(([seq, lines]) => [
      seq,
      lines.map((l) => ({
        sku_code: sku.get(l.skuId)!.code,
        gtin: sku.get(l.skuId)!.gtin,
        lot_code: l.lotId === null ? null : lot.get(l.lotId)!,
        loc_code: l.locationId === null ? null : loc.get(l.locationId)!,
        quantity: l.quantity,
      })),
    ]),
  )
}
