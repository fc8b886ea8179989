/*
 * Streams a slice of the ledger as one EPCIS 2.0 JSON-LD document: events in log order, each an
 * ObjectEvent mapped by `EVENT_MAPPINGS`, its epcList written in pages of unit lines, so a million-serial
 * export holds one page at a time, never the document.
 */
import type { Executor } from '../../db/database.js'
import {
  classEpc,
  containerEpc,
  documentUri,
  EPCIS_CONTEXT,
  locationUri,
  mappingOf,
  partyUri,
  SL_NAMESPACE,
  unitEpc,
} from './epcis.rules.js'
import {
  type EpcisFilter,
  type EventRow,
  eventPage,
  namesNothing,
  type PackedLineRow,
  packedLinesOf,
  quantityLines,
  type QuantityLineRow,
  resolveFilter,
  type ResolvedFilter,
  type UnitLineRow,
  unitLinePage,
} from './epcis.queries.js'

/** Reads the unit lines of a range of events in pages, handing out each event's lines in turn. */
class UnitLineCursor {
  private buffer: UnitLineRow[] = []
  private at = 0
  private done = false
  private after: { seq: number; line: number }

  constructor(
    private readonly db: Executor,
    private readonly filter: ResolvedFilter,
    private readonly range: { fromSeq: number; toSeq: number },
  ) {
    this.after = { seq: range.fromSeq - 1, line: 2_147_483_647 }
  }

  /** The next page of lines of event `seq` (empty when it has no more). */
  async next(seq: number): Promise<UnitLineRow[]> {
    // Lines of events outside the slice (in the same seq range) are passed over.
    while (this.at < this.buffer.length && this.buffer[this.at]!.event_seq < seq) this.at++
    if (this.at >= this.buffer.length && !this.done) {
      this.buffer = await unitLinePage(this.db, this.filter, this.range, this.after)
      this.at = 0
      if (this.buffer.length === 0) this.done = true
      else {
        const last = this.buffer.at(-1)!
        this.after = { seq: last.event_seq, line: last.line_no }
      }
      while (this.at < this.buffer.length && this.buffer[this.at]!.event_seq < seq) this.at++
      if (this.at >= this.buffer.length && !this.done) return this.next(seq)
    }
    const out: UnitLineRow[] = []
    while (this.at < this.buffer.length && this.buffer[this.at]!.event_seq === seq) out.push(this.buffer[this.at++]!)
    return out
  }
}

const at = (code: string | null, barcode: string | null) => (code === null ? undefined : locationUri({ code, barcode }))

/** A packing's container facts (its code, its parent, whether it was emptied), from the event's payload. */
function packingOf(e: EventRow): { container: string; [k: string]: unknown } {
  const p = JSON.parse(e.payload ?? '{}') as Record<string, unknown>
  return {
    container: String(p.container),
    ...(p.parent !== undefined && { parent: p.parent }),
    ...(p.fromParent === true && { fromParent: true }),
    ...(p.emptied === true && { emptied: true }),
  }
}

/** A packing's quantities as our own export names them (so a capture packs them back where they were). */
const packedOf = (packed: readonly PackedLineRow[]) =>
  packed.map((q) => ({
    sku: q.sku_code,
    ...(q.lot_code !== null && { lot: q.lot_code }),
    ...(q.loc_code !== null && { location: q.loc_code }),
    quantity: q.quantity,
  }))

/**
 * A packing that only nests a container into another (no units): exported as that parent aggregating the
 * container (an ADD needs children), so it is the child's code; undefined for every other event.
 */
function nestedChild(e: EventRow): string | undefined {
  if (e.type !== 'packed' || Number(e.unit_count) !== 0) return undefined
  const p = JSON.parse(e.payload ?? '{}') as { container: string; parent?: string; quantities?: unknown[] }
  return p.parent === undefined || p.quantities?.length ? undefined : p.container
}

/** An event's fields before its epcList: the mapping of its type, where, why, which parties. */
export function eventHead(
  e: EventRow,
  quantities: readonly QuantityLineRow[],
  packed: readonly PackedLineRow[] = [],
): Record<string, unknown> {
  const m = mappingOf(e.type)
  const here = at(e.loc_code, e.loc_barcode)
  const from = at(e.from_code, e.from_barcode)
  const to = e.type === 'transfer_shipped' ? at(e.to_code, e.to_barcode) : undefined
  const party = e.party_code !== null && m.party ? { type: 'owning_party', uri: partyUri(e.party_code) } : undefined
  const sources = [
    ...(from ? [{ type: 'location', source: from }] : []),
    ...(party?.type && m.party === 'source' ? [{ type: party.type, source: party.uri }] : []),
  ]
  const destinations = [
    ...(to ? [{ type: 'location', destination: to }] : []),
    ...(party && m.party === 'destination' ? [{ type: party.type, destination: party.uri }] : []),
  ]
  const mixed = quantities.some((q) => q.delta > 0) && quantities.some((q) => q.delta < 0)
  const listed = mixed ? quantities.filter((q) => q.delta > 0) : quantities
  const packing = e.type === 'packed' || e.type === 'unpacked' ? packingOf(e) : undefined
  return {
    type: packing ? 'AggregationEvent' : 'ObjectEvent',
    ...(packing && {
      parentID: containerEpc(nestedChild(e) === undefined ? packing.container : String(packing.parent)),
    }),
    eventID: `urn:uuid:${e.id}`,
    eventTime: new Date(e.occurred_at).toISOString(),
    recordTime: new Date(e.recorded_at).toISOString(),
    eventTimeZoneOffset: '+00:00',
    action: m.action,
    bizStep: m.bizStep,
    ...(m.disposition && { disposition: m.disposition }),
    ...(here && { readPoint: { id: here }, bizLocation: { id: here } }),
    ...(e.doc_type &&
      e.doc_number && {
        bizTransactionList: [
          { ...(m.documentType && { type: m.documentType }), bizTransaction: documentUri(e.doc_type, e.doc_number) },
        ],
      }),
    ...(sources.length > 0 && { sourceList: sources }),
    ...(destinations.length > 0 && { destinationList: destinations }),
    ...(listed.length > 0 && {
      quantityList: listed.map((q) => ({
        epcClass: classEpc({ code: q.sku_code, gtin: q.gtin }, q.lot_code),
        quantity: Math.abs(q.delta),
      })),
    }),
    ...(packed.length > 0 && {
      childQuantityList: packed.map((q) => ({
        epcClass: classEpc({ code: q.sku_code, gtin: q.gtin }, q.lot_code),
        quantity: q.quantity,
      })),
    }),
    'sl:type': e.type,
    ...(packing && { 'sl:container': packed.length > 0 ? { ...packing, quantities: packedOf(packed) } : packing }),
    'sl:seq': Number(e.seq),
    'sl:actor': e.actor,
    ...(e.reason !== null && { 'sl:reason': e.reason }),
    ...(quantities.length > 0 && {
      'sl:quantityLines': quantities.map((q) => ({
        sku: q.sku_code,
        ...(q.lot_code !== null && { lot: q.lot_code }),
        location: q.loc_code,
        delta: q.delta,
      })),
    }),
  }
}

/** The EPCIS document of a slice, as chunks of JSON text to write out in order. */
export async function* exportEpcis(db: Executor, filter: EpcisFilter, now: string): AsyncGenerator<string> {
  yield JSON.stringify({
    '@context': [EPCIS_CONTEXT, { sl: SL_NAMESPACE }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: now,
  }).slice(0, -1)
  yield ',"epcisBody":{"eventList":['
  const f = await resolveFilter(db, filter)
  let after = 0
  let first = true
  while (!namesNothing(f)) {
    const page = await eventPage(db, f, after)
    if (page.length === 0) break
    const range = { fromSeq: Number(page[0]!.seq), toSeq: Number(page.at(-1)!.seq) }
    const quantities = new Map<number, QuantityLineRow[]>()
    for (const q of await quantityLines(db, f, range))
      quantities.set(q.event_seq, [...(quantities.get(q.event_seq) ?? []), q])
    const units = new UnitLineCursor(db, f, range)
    const packed = await packedLinesOf(db, page)
    for (const e of page) {
      const seq = Number(e.seq)
      const head = JSON.stringify(eventHead(e, quantities.get(seq) ?? [], packed.get(seq)))
      const list = e.type === 'packed' || e.type === 'unpacked' ? 'childEPCs' : 'epcList'
      yield `${first ? '' : ','}${head.slice(0, -1)},"${list}":[`
      first = false
      let firstEpc = true
      const child = nestedChild(e)
      if (child !== undefined) {
        yield JSON.stringify(containerEpc(child))
        firstEpc = false
      }
      for (let lines = await units.next(seq); lines.length > 0; lines = await units.next(seq)) {
        const epcs = lines.map((l) => JSON.stringify(unitEpc({ code: l.sku_code, gtin: l.gtin }, l.serial)))
        yield (firstEpc ? '' : ',') + epcs.join(',')
        firstEpc = false
      }
      yield ']}'
    }
    after = range.toSeq
  }
  yield ']}}\n'
}
