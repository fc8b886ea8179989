import type { EventTable, EventUnitTable, Executor } from '../../db/database.js'
import type { EventType, QuantityLine, StoredEvent, UnitLine } from './event.js'
import type { LedgerEvent } from './ledger.schemas.js'

const PAGE = 5000

export const toStoredEvent = (r: EventTable): StoredEvent => ({
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
  prevHash: r.prev_hash,
  hash: r.hash,
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

/** Streams events in ledger order (after `afterSeq`, up to `upToSeq`), a page at a time. */
export async function* readEvents(
  db: Executor,
  upToSeq = Number.MAX_SAFE_INTEGER,
  afterSeq = 0,
): AsyncGenerator<StoredEvent> {
  let after = afterSeq
  for (;;) {
    const rows = await db
      .selectFrom('event')
      .selectAll()
      .where('seq', '>', after)
      .where('seq', '<=', upToSeq)
      .orderBy('seq')
      .limit(1000)
      .execute()
    for (const r of rows) yield toStoredEvent(r)
    if (rows.length < 1000) return
    after = Number(rows[rows.length - 1]!.seq)
  }
}

/** Streams one event's unit lines in line order, in pages (a receipt may have a million). */
export async function* readUnitLines(db: Executor, seq: number): AsyncGenerator<UnitLine[]> {
  let after = 0
  for (;;) {
    const rows = await db
      .selectFrom('event_unit')
      .selectAll()
      .where('event_seq', '=', seq)
      .where('line_no', '>', after)
      .orderBy('line_no')
      .limit(PAGE)
      .execute()
    if (rows.length > 0) yield rows.map(toUnitLine)
    if (rows.length < PAGE) return
    after = rows[rows.length - 1]!.line_no
  }
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

/** One page of ledger events after `afterSeq`, oldest first, for integrators catching up. */
export async function listEvents(db: Executor, afterSeq: number, limit: number): Promise<LedgerEvent[]> {
  const rows = await db
    .selectFrom('event')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()
  return rows.map(toStoredEvent)
}
