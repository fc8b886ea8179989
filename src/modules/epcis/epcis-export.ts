/*
 * Streams a slice of the ledger as one EPCIS 2.0 JSON-LD document: events in log order, each an
 * ObjectEvent mapped by `EVENT_MAPPINGS`, its epcList written in pages of unit lines, so a million-serial
 * export holds one page at a time, never the document.
 */
import { newSha256 } from '../../core/hash.js'
import type { Executor } from '../../db/database.js'
import { lineTransitionOf, TRANSITIONS, type UnitEventType } from '../units/unit-status.rules.js'
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

/** One EPCIS event of an event whose lines name their own transition: its head and its EPCs. */
interface Part {
  head: Record<string, unknown>
  epcs: string[]
}

/** A UUID derived from an event's id and a part number: the same export always names a part the same. */
function partUuid(eventId: string, part: number): string {
  const h = newSha256().update(`${eventId}/${part}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/**
 * A count's close, one ledger event whose unit lines each name their transition, exported as the events a
 * partner understands: the seal (the event itself, no EPCs), then one ObjectEvent per transition and place
 * (lost from the count's location; moved or found to where the unit was scanned), each `sl:partOf` the close.
 * Its quantity variances go with them: losses with the lost part, gains with the found part at their place.
 */
async function perLineParts(
  db: Executor,
  e: EventRow,
  lines: readonly UnitLineRow[],
  quantities: readonly QuantityLineRow[],
): Promise<Part[]> {
  const own = lines.map((l) => lineTransitionOf(e.type as UnitEventType, null, l.attributes))
  const ids = [...new Set(own.flatMap((t) => (t.locationId ? [t.locationId] : [])))]
  const places = new Map(
    ids.length === 0
      ? []
      : (await db.selectFrom('location').select(['id', 'code', 'barcode']).where('id', 'in', ids).execute()).map(
          (l) => [l.id, l],
        ),
  )
  type Group = { type: string; code: string | null; barcode: string | null; epcs: string[]; qs: QuantityLineRow[] }
  const groups = new Map<string, Group>()
  const groupOf = (type: string, code: string | null, barcode: string | null) => {
    const key = `${type}|${code ?? ''}`
    return groups.get(key) ?? groups.set(key, { type, code, barcode, epcs: [], qs: [] }).get(key)!
  }
  own.forEach((t, i) => {
    const place = t.locationId === null ? undefined : places.get(t.locationId)
    const l = lines[i]!
    groupOf(t.type, place?.code ?? null, place?.barcode ?? null).epcs.push(
      JSON.stringify(unitEpc({ code: l.sku_code, gtin: l.gtin }, l.serial)),
    )
  })
  for (const q of quantities)
    (q.delta < 0 ? groupOf('lost', null, null) : groupOf('found', q.loc_code, q.loc_barcode)).qs.push(q)
  const partOf = { type: e.type, eventID: `urn:uuid:${e.id}` }
  const parts = [...groups.values()].map((g, i) => {
    const lost = g.type === 'lost'
    const row = {
      ...e,
      id: partUuid(e.id, i + 1),
      type: g.type,
      ...(lost
        ? { loc_code: null, loc_barcode: null, from_code: e.loc_code, from_barcode: e.loc_barcode }
        : { loc_code: g.code, loc_barcode: g.barcode, from_code: null, from_barcode: null }),
    }
    return { head: { ...eventHead(row, g.qs), 'sl:partOf': partOf }, epcs: g.epcs }
  })
  return [{ head: eventHead(e, []), epcs: [] }, ...parts]
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
      if (TRANSITIONS[e.type as UnitEventType]?.perLine) {
        const lines: UnitLineRow[] = []
        for (let more = await units.next(seq); more.length > 0; more = await units.next(seq)) lines.push(...more)
        for (const part of await perLineParts(db, e, lines, quantities.get(seq) ?? [])) {
          yield `${first ? '' : ','}${JSON.stringify(part.head).slice(0, -1)},"epcList":[${part.epcs.join(',')}]}`
          first = false
        }
        continue
      }
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
