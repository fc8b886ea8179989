import { newId } from '../../core/ids.js'
import type { Trx } from '../../db/database.js'
import { runShaped } from '../../db/shaped-query.js'
import type { LedgerHead } from '../../db/transaction.js'
import { enqueueDeliveries } from './outbox.repository.js'
import { chunks, projectEventHeader, projectQuantityLines, projectUnitLines } from './projector.js'
import {
  canonicalJson,
  type EventHeader,
  type EventPayload,
  eventHash,
  LinesHasher,
  type QuantityLine,
  type StoredEvent,
  type UnitLine,
} from './event.js'

export type NewEvent = Omit<EventHeader, 'seq' | 'id' | 'payload' | 'recordedAt'> & {
  payload: EventPayload
  recordedAt: string
}

const LINE_INSERT_BATCH = 1000

/**
 * Appends one event to the ledger inside a write transaction, streaming its lines: each batch of lines
 * is inserted and projected at once, so a million-unit receipt never sits in memory. The header row is
 * written last (by `finish`) because its hash covers every line.
 */
export class EventWriter {
  readonly header: EventHeader
  private readonly hasher = new LinesHasher()
  private unitCount = 0
  private quantityCount = 0

  constructor(
    private readonly trx: Trx,
    private readonly head: LedgerHead,
    event: NewEvent,
  ) {
    this.header = { ...event, seq: head.seq + 1, id: newId(), payload: canonicalJson(event.payload) }
  }

  /** Records and projects a batch of unit lines. */
  async addUnits(lines: readonly UnitLine[]): Promise<void> {
    for (const batch of chunks(lines, LINE_INSERT_BATCH)) {
      const rows = batch.map((l) => {
        this.hasher.addUnit(l)
        return {
          event_seq: this.header.seq,
          line_no: ++this.unitCount,
          unit_id: l.unitId,
          sku_id: l.skuId,
          serial: l.serial,
          lot_id: l.lotId,
          cost_minor: l.costMinor,
          price_minor: l.priceMinor,
          attributes: l.attributes,
        }
      })
      await runShaped(this.trx, `event-unit-insert:${rows.length}`, rows.flatMap(Object.values), () =>
        this.trx.insertInto('event_unit').values(rows),
      )
      await projectUnitLines(this.trx, this.header, batch)
    }
  }

  /** Records and projects quantity lines. */
  async addQuantities(lines: readonly QuantityLine[]): Promise<void> {
    if (lines.length === 0) return
    const rows = lines.map((l) => {
      this.hasher.addQuantity(l)
      return {
        event_seq: this.header.seq,
        line_no: ++this.quantityCount,
        sku_id: l.skuId,
        lot_id: l.lotId,
        location_id: l.locationId,
        delta: l.delta,
        cost_minor: l.costMinor,
        price_minor: l.priceMinor,
      }
    })
    for (const batch of chunks(rows, LINE_INSERT_BATCH))
      await this.trx.insertInto('event_quantity').values(batch).execute()
    await projectQuantityLines(this.trx, this.header, lines)
  }

  /** Seals the event: computes its hash, inserts the header and moves the ledger head. */
  async finish(): Promise<StoredEvent> {
    const unsealed = {
      ...this.header,
      unitCount: this.unitCount,
      quantityLineCount: this.quantityCount,
      linesHash: this.hasher.digest(),
      prevHash: this.head.hash,
    }
    const event: StoredEvent = { ...unsealed, hash: eventHash(unsealed) }
    const row = toEventRow(event)
    await runShaped(this.trx, 'event-insert', Object.values(row), () => this.trx.insertInto('event').values(row))
    await projectEventHeader(this.trx, event)
    await runShaped(this.trx, 'head-update', [event.seq, event.hash, 1], () =>
      this.trx.updateTable('ledger_head').set({ seq: event.seq, hash: event.hash }).where('id', '=', 1),
    )
    await enqueueDeliveries(this.trx, event)
    // Later events in the same transaction chain onto this one.
    this.head.seq = event.seq
    this.head.hash = event.hash
    return event
  }
}

function toEventRow(e: StoredEvent) {
  return {
    seq: e.seq,
    id: e.id,
    type: e.type,
    occurred_at: e.occurredAt,
    recorded_at: e.recordedAt,
    actor: e.actor,
    location_id: e.locationId,
    from_location_id: e.fromLocationId,
    reason: e.reason,
    document_type: e.documentType,
    document_id: e.documentId,
    payload: e.payload,
    unit_count: e.unitCount,
    quantity_line_count: e.quantityLineCount,
    lines_hash: e.linesHash,
    prev_hash: e.prevHash,
    hash: e.hash,
  }
}
