import type { EventTable, EventUnitTable, Executor } from '../../db/database.js'
import type { EventType, QuantityLine, StoredEvent, UnitLine, WrittenEvent } from './event.js'
import type { LedgerEvent } from './ledger.schemas.js'

const PAGE = 5000

/** An event row as its command wrote it (its place in the log may still be pending). */
export const toWrittenEvent = (r: EventTable): WrittenEvent => ({
  seq: Number(r.seq),
  id: r.id,
  type: r.type as EventType,
  occurredAt: r.occurred_at,
  recordedAt: r.recorded_at,
  actor: r.actor,
  locationId: r.location_id,
  fromLocationId: r.from_location_id,
  reason: r.reason,
  documentType: r.document_type,
  documentId: r.document_id,
  payload: r.payload,
  unitCount: r.unit_count,
  quantityLineCount: r.quantity_line_count,
  linesHash: r.lines_hash,
})

/** An event row of the log (read where `log_pos is not null`). */
export const toStoredEvent = (r: EventTable): StoredEvent => ({
  ...toWrittenEvent(r),
  logPos: Number(r.log_pos),
  prevHash: r.prev_hash ?? '',
  hash: r.hash ?? '',
})

export const toUnitLine = (r: EventUnitTable): UnitLine => ({
  unitId: r.unit_id,
  skuId: r.sku_id,
  serial: r.serial,
  lotId: r.lot_id,
  costMinor: r.cost_minor === null ? null : Number(r.cost_minor),
  priceMinor: r.price_minor === null ? null : Number(r.price_minor),
  attributes: r.attributes,
})

/**
 * Streams rows in pages in the order of their key: `page(after)` reads up to `size` rows whose key is
 * greater than `after`; the next page starts after the last row's key.
 */
async function* keysetPages<R>(
  page: (after: number) => Promise<R[]>,
  keyOf: (r: R) => number,
  size: number,
  from = 0,
): AsyncGenerator<R[]> {
  let after = from
  for (;;) {
    const rows = await page(after)
    if (rows.length > 0) yield rows
    if (rows.length < size) return
    after = keyOf(rows[rows.length - 1]!)
  }
}

/**
 * Streams the log: events in log order (after place `afterPos`, up to place `upToPos`), a page at a
 * time. Events not yet sequenced are not in it.
 */
export async function* readEvents(
  db: Executor,
  upToPos = Number.MAX_SAFE_INTEGER,
  afterPos = 0,
): AsyncGenerator<StoredEvent> {
  const page = (after: number) =>
    db
      .selectFrom('event')
      .selectAll()
      .where('log_pos', '>', after)
      .where('log_pos', '<=', upToPos)
      .orderBy('log_pos')
      .limit(1000)
      .execute()
  for await (const rows of keysetPages(page, (r) => Number(r.log_pos), 1000, afterPos)) yield* rows.map(toStoredEvent)
}

/** Streams the committed events not yet in the log (the sequenced path's tail), in seq order. */
export async function* readUnplacedEvents(db: Executor): AsyncGenerator<WrittenEvent> {
  const page = (after: number) =>
    db
      .selectFrom('event')
      .selectAll()
      .where('log_pos', 'is', null)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(1000)
      .execute()
  for await (const rows of keysetPages(page, (r) => Number(r.seq), 1000)) yield* rows.map(toWrittenEvent)
}

/** Streams one event's unit lines in line order, in pages (a receipt may have a million). */
export async function* readUnitLines(db: Executor, seq: number): AsyncGenerator<UnitLine[]> {
  const page = (after: number) =>
    db
      .selectFrom('event_unit')
      .selectAll()
      .where('event_seq', '=', seq)
      .where('line_no', '>', after)
      .orderBy('line_no')
      .limit(PAGE)
      .execute()
  for await (const rows of keysetPages(page, (r) => r.line_no, PAGE)) yield rows.map(toUnitLine)
}

export async function readQuantityLines(db: Executor, seq: number): Promise<QuantityLine[]> {
  const rows = await db
    .selectFrom('event_quantity')
    .selectAll()
    .where('event_seq', '=', seq)
    .orderBy('line_no')
    .execute()
  return rows.map((r) => ({
    skuId: r.sku_id,
    lotId: r.lot_id,
    locationId: r.location_id,
    delta: Number(r.delta),
    costMinor: r.cost_minor === null ? null : Number(r.cost_minor),
    priceMinor: r.price_minor === null ? null : Number(r.price_minor),
  }))
}

/**
 * GET /events answers with the LedgerEvent schema, which drops any field it does not list: a field added
 * to StoredEvent must be added there too, or this line stops compiling.
 */
const _storedEventIsLedgerEvent: [StoredEvent, LedgerEvent] extends [LedgerEvent, StoredEvent] ? true : never = true

/**
 * One page of the log after place `afterPos`, oldest first, for integrators catching up. On the locked
 * path an event's place is its seq; on the sequenced path the cursor is `logPos`.
 */
export async function listEvents(db: Executor, afterPos: number, limit: number): Promise<LedgerEvent[]> {
  const rows = await db
    .selectFrom('event')
    .selectAll()
    .where('log_pos', '>', afterPos)
    .orderBy('log_pos')
    .limit(limit)
    .execute()
  return rows.map(toStoredEvent)
}
