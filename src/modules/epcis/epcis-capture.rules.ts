/*
 * Captured EPCIS events as our operations, pure: each ObjectEvent becomes the command of the operation
 * its type names (`sl:type` in our own exports, else inferred from bizStep and disposition), its EPCs and
 * classes resolved to serials and SKUs, its locations, parties and documents to our codes. Every event
 * that cannot be turned into one is refused with its index, field and reason; nothing is guessed.
 */
import type { FieldIssue } from '../../core/errors.js'
import { identify, knownMapping, type Identified } from './epcis.rules.js'

/** Reference data a capture resolves identifiers against (loaded once per capture). */
export interface CaptureLookups {
  skuOfGtin(gtin: string): string | undefined
  /** The SKU's code as stored, or undefined when there is none. */
  sku(code: string): string | undefined
  locationOfGln(gln: string): string | undefined
  location(code: string): string | undefined
  party(code: string): string | undefined
}

export type CaptureOperation =
  | 'receive'
  | 'move'
  | 'shipTransfer'
  | 'receiveTransfer'
  | 'sell'
  | 'returnGoods'
  | 'restock'
  | 'adjust'
  | 'scrap'
  | 'pack'
  | 'unpack'

export type CaptureStep =
  | { index: number; eventId?: string; op: CaptureOperation; input: Record<string, unknown> }
  | { index: number; eventId?: string; skipped: string }

type Json = Record<string, any>
interface QuantityLine {
  sku: string
  lot?: string
  location?: string
  delta: number
}

const UNSUPPORTED: Record<string, string> = {
  TransformationEvent: 'TransformationEvent is not supported: this ledger does not transform goods into others',
  TransactionEvent: 'TransactionEvent is not supported: it links goods to a business transaction but moves nothing',
  AssociationEvent: 'AssociationEvent is not supported: this ledger does not associate sensors or assets',
}

/** Our event type for a foreign event, from its bizStep, disposition and destinations. */
function inferType(e: Json): string | { refuse: string } | { skip: string } {
  const step = typeof e.bizStep === 'string' ? e.bizStep.replace(/^.*[:/]/, '') : undefined
  const toLocation = (e.destinationList ?? []).some((d: Json) => d.type === 'location')
  switch (step) {
    case 'receiving':
    case 'arriving':
    case 'accepting':
      return e.disposition === 'returned' ? 'returned' : 'received'
    case 'shipping':
    case 'departing':
      return toLocation ? 'transfer_shipped' : 'sold'
    case 'retail_selling':
      return 'sold'
    case 'destroying':
    case 'decommissioning':
      return 'scrapped'
    case 'storing':
    case 'stocking':
      return 'moved'
    case 'cycle_counting':
    case 'stock_taking':
      return { skip: `bizStep ${step}: observations are not captured` }
    case undefined:
      return { refuse: 'an event without bizStep names no business operation' }
    default:
      return { refuse: `bizStep ${step} has no ledger operation here` }
  }
}

/** Reads one event's parts, collecting every problem under its field. */
class EventReader {
  readonly issues: FieldIssue[] = []
  /** An AggregationEvent's children that are containers themselves (SSCCs or our codes), in order. */
  readonly childContainers: string[] = []
  constructor(
    readonly e: Json,
    readonly index: number,
    readonly at: CaptureLookups,
  ) {}

  refuse(field: string, message: string, value?: string) {
    this.issues.push({
      row: this.index + 1,
      field: `eventList[${this.index}]${field}`,
      message,
      ...(value !== undefined && { value }),
    })
  }

  location(field: string, uri: string | undefined): string | undefined {
    if (uri === undefined) return undefined
    const id = identify(uri)
    const code =
      id.kind === 'location' ? (id.gln ? this.at.locationOfGln(id.gln) : this.at.location(id.code!)) : undefined
    if (code === undefined)
      this.refuse(field, id.kind === 'location' ? `no location of ours is ${uri}` : `${uri} names no location`, uri)
    return code
  }

  sku(field: string, id: Identified & { gtin?: string; sku?: string }, uri: string): string | undefined {
    const code = id.gtin ? this.at.skuOfGtin(id.gtin) : id.sku ? this.at.sku(id.sku) : undefined
    if (code === undefined) this.refuse(field, id.gtin ? `no SKU has GTIN ${id.gtin}` : `no SKU ${id.sku}`, uri)
    return code
  }

  units(): { serial: string; sku: string }[] {
    const out: { serial: string; sku: string }[] = []
    const seen = new Map<string, number>()
    // An AggregationEvent lists its children (the units packed or unpacked) in childEPCs; in our own export
    // a container nested into another is its child (named again in `sl:container`), not a unit.
    const list = this.e.type === 'AggregationEvent' ? 'childEPCs' : 'epcList'
    const nested = this.e.type === 'AggregationEvent' && this.e['sl:container']?.parent !== undefined
    ;(this.e[list] ?? []).forEach((uri: string, k: number) => {
      const field = `.${list}[${k}]`
      if (nested && identify(uri).kind === 'container') return
      if (seen.has(uri)) return this.refuse(field, `listed twice (also at epcList[${seen.get(uri)}])`, uri)
      seen.set(uri, k)
      const id = identify(uri)
      // A container among an aggregation's children is nested into (or taken out of) its parent.
      if (id.kind === 'container' && list === 'childEPCs') return void this.childContainers.push(id.code ?? id.sscc)
      if (id.kind === 'container') return this.refuse(field, `SSCC ${id.sscc} names a container: not supported`, uri)
      if (id.kind !== 'unit') {
        const why = id.kind === 'unknown' ? id.reason : `${uri} names a ${id.kind}, not a serialized unit`
        return this.refuse(field, why, uri)
      }
      const sku = this.sku(field, id, uri)
      if (sku) out.push({ serial: id.serial, sku })
    })
    return out
  }

  /** Our own export's exact quantity lines (`sl:quantityLines`), else the quantityList. */
  quantities(fallbackLocation: string | undefined, sign: 1 | -1): QuantityLine[] {
    const own = this.e['sl:quantityLines']
    if (Array.isArray(own))
      return own.map((q: Json) => ({
        sku: this.at.sku(q.sku) ?? q.sku,
        lot: q.lot,
        location: q.location,
        delta: q.delta,
      }))
    return this.classLines('quantityList', fallbackLocation, sign)
  }

  /** The lines of a quantityList or childQuantityList: product classes (LGTIN, GTIN or ours) in pieces. */
  classLines(list: 'quantityList' | 'childQuantityList', fallbackLocation: string | undefined, sign: 1 | -1) {
    const out: QuantityLine[] = []
    ;(this.e[list] ?? []).forEach((q: Json, k: number) => {
      const field = `.${list}[${k}]`
      if (q.uom !== undefined && q.uom !== 'EA')
        return this.refuse(field, `a quantity in ${q.uom} is not supported: quantities here are counted in pieces`)
      if (!Number.isInteger(q.quantity) || q.quantity <= 0)
        return this.refuse(`${field}.quantity`, 'a quantity here is a whole number of pieces above 0')
      const id = identify(q.epcClass)
      if (id.kind !== 'class') return this.refuse(`${field}.epcClass`, `${q.epcClass} names no product class`)
      const sku = this.sku(`${field}.epcClass`, id, q.epcClass)
      if (sku) out.push({ sku, ...(id.lot && { lot: id.lot }), location: fallbackLocation, delta: sign * q.quantity })
    })
    return out
  }

  party(list: 'sourceList' | 'destinationList'): string | undefined {
    const key = list === 'sourceList' ? 'source' : 'destination'
    const entry = (this.e[list] ?? []).find((s: Json) => s.type === 'owning_party' || s.type === 'possessing_party')
    if (!entry) return undefined
    const id = identify(entry[key])
    const code = id.kind === 'party' ? this.at.party(id.code) : undefined
    if (code === undefined) this.refuse(`.${list}`, `no party of ours is ${entry[key]}`, entry[key])
    return code
  }

  placeIn(list: 'sourceList' | 'destinationList'): string | undefined {
    const key = list === 'sourceList' ? 'source' : 'destination'
    const entry = (this.e[list] ?? []).find((s: Json) => s.type === 'location')
    return entry ? this.location(`.${list}`, entry[key]) : undefined
  }

  document(): { type?: string; number: string } | undefined {
    const tx = (this.e.bizTransactionList ?? [])[0]
    if (!tx) return undefined
    const id = identify(tx.bizTransaction)
    if (id.kind === 'document') return { type: id.type, number: id.number }
    return { number: String(tx.bizTransaction).slice(-64) }
  }
}

const lineOf = (q: QuantityLine) => ({
  sku: q.sku,
  ...(q.lot !== undefined && { lot: q.lot }),
  quantity: Math.abs(q.delta),
})
const unitRefs = (units: { serial: string; sku: string }[]) => units.map((u) => ({ serial: u.serial, sku: u.sku }))

/** Receipt lines: the serials grouped by SKU, then each quantity line. */
function receiptLines(units: { serial: string; sku: string }[], quantities: QuantityLine[]) {
  const bySku = new Map<string, string[]>()
  for (const u of units) {
    const serials = bySku.get(u.sku)
    if (serials) serials.push(u.serial)
    else bySku.set(u.sku, [u.serial])
  }
  return [
    ...[...bySku].map(([sku, serials]) => ({ sku, serials })),
    ...quantities.filter((q) => q.delta > 0).map(lineOf),
  ]
}

/** A move's quantity lines: each arrival paired with where the same SKU and lot left. */
function moveLines(quantities: QuantityLine[], from: string | undefined) {
  const left = quantities.filter((q) => q.delta < 0)
  return quantities
    .filter((q) => q.delta > 0)
    .map((q) => ({ ...lineOf(q), from: left.find((l) => l.sku === q.sku && l.lot === q.lot)?.location ?? from }))
}

type Built = { op: CaptureOperation; input: Record<string, unknown> } | undefined

/** The operation(s) and command(s) for an event of our type `type`, or undefined (refusals on `r`). */
function build(type: string, r: EventReader): Built | Built[] {
  const e = r.e
  const when = new Date(e.eventTime).toISOString()
  const here = r.location('.bizLocation', e.bizLocation?.id ?? e.readPoint?.id)
  const units = r.units()
  const doc = r.document()
  const reason = typeof e['sl:reason'] === 'string' ? e['sl:reason'] : `EPCIS capture ${e.eventID ?? ''}`.trim()
  const ours = (docType: string) => (doc?.type === docType ? { number: doc.number } : {})
  switch (type) {
    case 'received': {
      const supplier = r.party('sourceList')
      if (!supplier && !r.e.sourceList) r.refuse('.sourceList', 'a receipt needs its supplier: an owning_party source')
      if (!here) r.refuse('.bizLocation', 'a receipt needs the location the goods arrived at')
      const lines = receiptLines(units, r.quantities(here, 1))
      if (lines.length === 0) r.refuse('.epcList', 'the event names no goods')
      return { op: 'receive', input: { supplier, location: here, receivedAt: when, lines, ...ours('receipt') } }
    }
    case 'moved': {
      const to = r.placeIn('destinationList') ?? here
      if (!to) r.refuse('.bizLocation', 'a move needs where the goods went')
      const quantities = moveLines(r.quantities(to, 1), r.placeIn('sourceList'))
      return { op: 'move', input: { to, units: unitRefs(units), quantities, movedAt: when } }
    }
    case 'transfer_shipped': {
      const from = r.placeIn('sourceList') ?? here
      const to = r.placeIn('destinationList')
      if (!from || !to) r.refuse('.destinationList', 'a transfer needs its origin and destination locations')
      const quantities = r.quantities(from, -1).map(lineOf)
      return {
        op: 'shipTransfer',
        input: { from, to, units: unitRefs(units), quantities, shippedAt: when, ...ours('transfer') },
      }
    }
    case 'transfer_received': {
      if (doc?.type !== 'transfer') r.refuse('.bizTransactionList', 'a transfer arrival needs its transfer document')
      return {
        op: 'receiveTransfer',
        // No units: everything still in transit on the transfer arrives (its quantities too).
        input: {
          number: doc?.number,
          ...(units.length > 0 && { units: unitRefs(units) }),
          ...(here && { location: here }),
          receivedAt: when,
        },
      }
    }
    case 'sold': {
      const customer = r.party('destinationList')
      const quantities = r.quantities(here, -1).map((q) => ({ ...lineOf(q), location: q.location ?? here }))
      return {
        op: 'sell',
        input: {
          ...(customer && { customer }),
          orderRef: doc?.number ?? e.eventID ?? 'EPCIS',
          units: unitRefs(units),
          quantities,
          soldAt: when,
          ...ours('order'),
        },
      }
    }
    case 'returned': {
      const customer = r.party('sourceList')
      if (!here) r.refuse('.bizLocation', 'a return needs the location the goods came back to')
      const quantities = r.quantities(here, 1).map(lineOf)
      return {
        op: 'returnGoods',
        input: { location: here, ...(customer && { customer }), units: unitRefs(units), quantities, returnedAt: when },
      }
    }
    case 'restocked':
      return { op: 'restock', input: { units: unitRefs(units), restockedAt: when } }
    case 'found':
    case 'lost': {
      const quantities = r
        .quantities(here, type === 'found' ? 1 : -1)
        .map((q) => ({ ...lineOf(q), location: q.location ?? here }))
      return {
        op: 'adjust',
        input: {
          kind: type,
          reason,
          ...(here && { location: here }),
          units: unitRefs(units),
          quantities,
          adjustedAt: when,
        },
      }
    }
    case 'scrapped': {
      const quantities = r.quantities(here, -1).map((q) => ({ ...lineOf(q), location: q.location ?? here }))
      return { op: 'scrap', input: { reason, units: unitRefs(units), quantities, scrappedAt: when } }
    }
    case 'packed':
    case 'unpacked':
      return packing(type, r, units, when, here)
    default:
      r.refuse('', `${type} events cannot be captured`)
      return undefined
  }
}

/**
 * A packing or unpacking: our own export carries its container, nesting, emptying and quantities
 * (`sl:container`); another system's AggregationEvent names the container as parentID and lists its
 * children: units, containers nested into it or taken out of it (one more step each), and stock
 * (childQuantityList, at the event's bizLocation).
 */
function packing(
  type: 'packed' | 'unpacked',
  r: EventReader,
  units: { serial: string; sku: string }[],
  when: string,
  here: string | undefined,
): Built[] | undefined {
  const e = r.e
  const own: Json = e['sl:container'] ?? {}
  const id = typeof e.parentID === 'string' ? identify(e.parentID) : undefined
  const container =
    typeof own.container === 'string' ? own.container : id?.kind === 'container' ? (id.code ?? id.sscc) : undefined
  if (!container) return void r.refuse('.parentID', 'an AggregationEvent needs its container (an SSCC) as parentID')
  const quantities = Array.isArray(own.quantities)
    ? own.quantities.map((q: Json) => ({
        sku: r.at.sku(q.sku) ?? q.sku,
        ...(q.lot !== undefined && { lot: q.lot }),
        quantity: q.quantity,
      }))
    : r.classLines('childQuantityList', here, 1).map(lineOf)
  const at: string | undefined = Array.isArray(own.quantities) ? own.quantities[0]?.location : here
  const children = r.childContainers
  const ownStep = units.length > 0 || quantities.length > 0 || children.length === 0 || own.parent || own.emptied
  if (type === 'packed') {
    const step = {
      op: 'pack' as const,
      input: {
        container,
        units: unitRefs(units),
        ...(quantities.length > 0 && { quantities, ...(at && { at }) }),
        ...(own.parent && { parent: own.parent }),
        packedAt: when,
      },
    }
    const nest = children.map((child) => ({
      op: 'pack' as const,
      input: { container: child, units: [], parent: container, packedAt: when },
    }))
    return [...(ownStep ? [step] : []), ...nest]
  }
  const step = {
    op: 'unpack' as const,
    input: {
      container,
      ...(!own.emptied && !own.fromParent && { units: unitRefs(units) }),
      ...(!own.emptied && !own.fromParent && quantities.length > 0 && { quantities }),
      ...(own.fromParent && { fromParent: true }),
      unpackedAt: when,
    },
  }
  const unnest = children.map((child) => ({
    op: 'unpack' as const,
    input: { container: child, fromParent: true, unpackedAt: when },
  }))
  return [...(ownStep ? [step] : []), ...unnest]
}

/** The steps a document's events become, or every refusal with its event, field and reason. */
export function planCapture(doc: Json, lookups: CaptureLookups): { steps: CaptureStep[]; issues: FieldIssue[] } {
  const events: Json[] = doc?.epcisBody?.eventList ?? doc?.epcisBody?.queryResults?.resultsBody?.eventList ?? []
  const steps: CaptureStep[] = []
  const issues: FieldIssue[] = []
  events.forEach((e, index) => {
    const r = new EventReader(e, index, lookups)
    const eventId = typeof e.eventID === 'string' ? e.eventID : undefined
    const aggregation = e.type === 'AggregationEvent'
    if (aggregation && e['sl:type'] === undefined && e.action === 'OBSERVE')
      steps.push({
        index,
        ...(eventId && { eventId }),
        skipped: 'AggregationEvent OBSERVE: observations are not captured',
      })
    else if (e.type !== 'ObjectEvent' && !aggregation)
      r.refuse('.type', UNSUPPORTED[e.type] ?? `${e.type} is not an EPCIS event type`)
    else if (e.errorDeclaration)
      r.refuse('.errorDeclaration', 'error declarations (retracting earlier events) are not supported')
    else {
      const own = e['sl:type']
      const type =
        typeof own === 'string' ? own : aggregation ? (e.action === 'ADD' ? 'packed' : 'unpacked') : inferType(e)
      if (typeof type === 'string' && knownMapping(type)?.captured === false)
        steps.push({ index, ...(eventId && { eventId }), skipped: `${type}: not captured (our own workflow)` })
      // A type with no row in the table (not one of ours: another system's sl:type) is left out, and says so.
      else if (typeof type === 'string' && knownMapping(type) === undefined)
        steps.push({ index, ...(eventId && { eventId }), skipped: `${type}: no capture mapping for this event type` })
      else if (typeof type !== 'string' && 'skip' in type)
        steps.push({ index, ...(eventId && { eventId }), skipped: type.skip })
      else if (typeof type !== 'string') r.refuse('.bizStep', type.refuse)
      else {
        const built = build(type, r)
        if (r.issues.length === 0)
          for (const one of [built].flat()) if (one) steps.push({ index, ...(eventId && { eventId }), ...one })
      }
    }
    issues.push(...r.issues)
  })
  if (events.length === 0) issues.push({ field: 'epcisBody.eventList', message: 'the document has no events' })
  return { steps, issues }
}
