import { newId } from '../../core/ids.js'
import type { Trx } from '../../db/database.js'
import { HeldWrites, type HoldWrite } from '../../db/held-writes.js'
import { type LedgerHead, nextEventSeq } from '../../db/transaction.js'
import { eventUnitRow, projectSelectedUnits, type UnitFilter } from './selected-units.js'
import { enqueueDeliveries } from './outbox.repository.js'
import { chunks, projectEventHeader, projectQuantityLines, projectUnitLines, projectsByPatch } from './projector.js'
import { applyUnitStock, foldUnitStock, queueUnitStock, UnitStockChanges } from './unit-stock-projector.js'
import {
  canonicalJson,
  type EventHeader,
  type EventPayload,
  eventHash,
  LinesHasher,
  type QuantityLine,
  type StoredEvent,
  type UnitLine,
  type WrittenEvent,
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
 *
 * On PostgreSQL the unit lines, the units' update and the header of an event whose units change by a
 * patch (a sale, a move: not a receipt, not a count's observation) are held and sent as one statement by
 * `finish` (HeldWrites): none of them reads another's rows, and each unit is changed once (a unit named
 * twice sends what is held first). Quantity lines and the header's own projections run after what is held.
 */
export class EventWriter {
  readonly header: EventHeader
  private readonly hasher = new LinesHasher()
  private readonly counts = new UnitStockChanges()
  private unitCount = 0
  private quantityCount = 0
  private readonly held: HeldWrites
  /** Units whose update is held: a second change of one of them waits for the first to be sent. */
  private readonly heldUnits = new Set<string>()

  private constructor(
    private readonly trx: Trx,
    private readonly head: LedgerHead,
    event: NewEvent,
    seq: number,
  ) {
    this.header = { ...event, seq, id: newId(), payload: canonicalJson(event.payload) }
    this.held = new HeldWrites(trx)
  }

  /**
   * Starts an event. Its seq is the head's next on the locked path; on the sequenced path it is taken
   * from the sequence now, after the command's reads, so it is larger than the seq of every committed
   * event whose rows this command read (see docs/scaling.md, "The sequenced write path").
   */
  static async start(trx: Trx, head: LedgerHead, event: NewEvent): Promise<EventWriter> {
    return new EventWriter(trx, head, event, await nextEventSeq(trx, head))
  }

  /**
   * Holds a write of the command's own to go with the event's (its document: see `startDocument`), sent
   * before them; `afterSent` runs as soon as it was sent (HeldWrites.add).
   */
  readonly hold: HoldWrite = (shape, parameters, build, afterSent) => this.held.add(shape, parameters, build, afterSent)

  /** Records and projects a batch of unit lines. */
  async addUnits(lines: readonly UnitLine[]): Promise<void> {
    for (const batch of chunks(lines, LINE_INSERT_BATCH)) {
      const rows = batch.map((l) => {
        this.hasher.addUnit(l)
        return eventUnitRow(this.header.seq, ++this.unitCount, l)
      })
      await this.held.add(`event-unit-insert:${rows.length}`, rows.flatMap(Object.values), () =>
        this.trx.insertInto('event_unit').values(rows),
      )
      if (!projectsByPatch(this.header.type)) {
        await this.held.flush()
        await projectUnitLines(this.trx, this.header, batch, this.counts)
        continue
      }
      if (batch.some((l) => this.heldUnits.has(l.unitId))) {
        await this.held.flush()
        this.heldUnits.clear()
      }
      for (const l of batch) this.heldUnits.add(l.unitId)
      await projectUnitLines(this.trx, this.header, batch, this.counts, this.held)
    }
  }

  /**
   * Moves the units `where` selects (over `unit as u`) and records them as this event's lines, set-based
   * (selected-units.ts), for an event whose patch is the same on every unit. Returns how many units; with
   * none, nothing is written (the event is written by `finish` only).
   */
  async addSelectedUnits(where: UnitFilter): Promise<number> {
    await this.sendHeld()
    const n = await projectSelectedUnits(this.trx, this.header, where, this.counts, this.unitCount, this.hasher)
    this.unitCount += n
    return n
  }

  /** Records and projects quantity lines. */
  async addQuantities(lines: readonly QuantityLine[]): Promise<void> {
    if (lines.length === 0) return
    await this.sendHeld()
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

  /**
   * Writes the header. Locked path: the event is sealed now (its place in the log, its hash), the head
   * moves and its webhook deliveries are queued. Sequenced path: the header is written without a place
   * in the log, and the sequencer does the rest after commit.
   */
  async finish(): Promise<WrittenEvent> {
    const written: WrittenEvent = {
      ...this.header,
      unitCount: this.unitCount,
      quantityLineCount: this.quantityCount,
      linesHash: this.hasher.digest(),
    }
    if (this.head.sequenced) {
      // Not into the shared count rows: the sequencer folds them in as it places the event.
      await queueUnitStock(this.trx, written.seq, this.counts)
      const row = toEventRow(written, { logPos: null, prevHash: null, hash: null })
      await this.held.add('event-insert', Object.values(row), () => this.trx.insertInto('event').values(row))
      await this.sendHeld()
      await projectEventHeader(this.trx, written)
      // The next event of this transaction takes a seq of its own.
      this.head.reserved = undefined
      return written
    }
    await applyUnitStock(this.trx, this.counts)
    const unsealed = { ...written, logPos: this.head.seq + 1, prevHash: this.head.hash }
    const event: StoredEvent = { ...unsealed, hash: eventHash(unsealed) }
    const row = toEventRow(event, event)
    await this.held.add('event-insert', Object.values(row), () => this.trx.insertInto('event').values(row))
    await this.held.add('head-update', [event.logPos, event.hash, 1], () =>
      this.trx.updateTable('ledger_head').set({ seq: event.logPos, hash: event.hash }).where('id', '=', 1),
    )
    await this.sendHeld()
    // Held count changes went to unit_stock_delta (see projectUnitLines); one writer here: fold them now.
    if (this.counts.queuedInSql) await foldUnitStock(this.trx, [event.seq])
    await projectEventHeader(this.trx, event)
    await enqueueDeliveries(this.trx, event)
    // Later events in the same transaction chain onto this one.
    this.head.seq = event.logPos
    this.head.hash = event.hash
    if (this.head.lastSeq !== undefined) this.head.lastSeq = event.seq
    return event
  }

  private async sendHeld(): Promise<void> {
    await this.held.flush()
    this.heldUnits.clear()
  }
}

type Seal = { logPos: number | null; prevHash: string | null; hash: string | null }

function toEventRow(e: WrittenEvent, seal: Seal) {
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
    prev_hash: seal.prevHash,
    hash: seal.hash,
    log_pos: seal.logPos,
  }
}
