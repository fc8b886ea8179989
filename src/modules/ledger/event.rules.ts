import { type IncrementalHash, newSha256 } from '../../core/hash.js'
import type { UnitEventType } from '../units/unit-status.rules.js'

/** The ledger's event types are the unit state machine's: quantity lines use the same ones. */
export type EventType = UnitEventType

/** What an event says besides its lines: what kind, when, where, why and which document. */
export interface EventHeader {
  seq: number
  id: string
  type: EventType
  occurredAt: string
  recordedAt: string
  actor: string
  locationId: string | null
  fromLocationId: string | null
  reason: string | null
  documentType: string | null
  documentId: string | null
  /** Canonical JSON (keys sorted) of the event's extra facts: supplier, customer, order reference… */
  payload: string
}

export interface EventPayload {
  supplierId?: string
  customerId?: string
  orderRef?: string
  [key: string]: unknown
}

/** One unit touched by an event. */
export interface UnitLine {
  unitId: string
  skuId: string
  serial: string
  lotId: string | null
  costMinor: number | null
  priceMinor: number | null
  /** Canonical JSON of extra identifiers (`{"imei":"…"}`), only on `received`. */
  attributes: string | null
}

/** One change of quantity stock of a SKU (and lot) at a location. */
export interface QuantityLine {
  skuId: string
  lotId: string | null
  locationId: string
  delta: number
  costMinor: number | null
  priceMinor: number | null
}

/** An event as its command wrote it: its lines are counted and hashed, its place in the log may be pending. */
export interface WrittenEvent extends EventHeader {
  unitCount: number
  quantityLineCount: number
  linesHash: string
}

/**
 * An event in the log. `seq` is its identity (what its lines and the projections name); `logPos` is its
 * place in the log (1, 2, 3… with no gap), which the chain and the Merkle tree seal. On the locked path
 * the two are equal; on the sequenced path `seq` comes from a sequence at commit (gaps, any commit order)
 * and the sequencer gives `logPos`, `prevHash` and `hash` afterwards.
 */
export interface StoredEvent extends WrittenEvent {
  logPos: number
  prevHash: string
  hash: string
}

/** JSON with object keys sorted, so the same facts always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )
}

const unitLineText = (l: UnitLine) =>
  JSON.stringify([l.unitId, l.skuId, l.serial, l.lotId, l.costMinor, l.priceMinor, l.attributes])
const quantityLineText = (l: QuantityLine) =>
  JSON.stringify([l.skuId, l.lotId, l.locationId, l.delta, l.costMinor, l.priceMinor])

/**
 * Hashes an event's lines incrementally (a receipt can have a million): unit lines and quantity lines
 * each in line order, combined at the end, so the writer and `verify` agree however lines were batched.
 */
export class LinesHasher {
  private readonly units: IncrementalHash = newSha256()
  private readonly quantities: IncrementalHash = newSha256()

  addUnit(line: UnitLine): void {
    this.units.update(unitLineText(line)).update('\n')
  }

  /** The same as `addUnit` on each line in turn, in one update of the hash (the same bytes). */
  addUnits(lines: readonly UnitLine[]): void {
    if (lines.length > 0) this.units.update(`${lines.map(unitLineText).join('\n')}\n`)
  }

  addQuantity(line: QuantityLine): void {
    this.quantities.update(quantityLineText(line)).update('\n')
  }

  digest(): string {
    return newSha256().update(this.units.digest('hex')).update(this.quantities.digest('hex')).digest('hex')
  }
}

/**
 * An event's header fields, its lines' hash and the previous event's hash, in their fixed hashing order.
 * The first field is the event's place in the log; an event whose identity differs from it (the
 * sequenced path) has its `seq` appended, so an event that equals its place hashes as it always did.
 */
export const eventHeaderFields = (e: Omit<StoredEvent, 'hash'>) => [
  ...[e.logPos, e.id, e.type, e.occurredAt, e.recordedAt, e.actor, e.locationId, e.fromLocationId, e.reason],
  ...[e.documentType, e.documentId, e.payload, e.unitCount, e.quantityLineCount, e.linesHash, e.prevHash],
  ...(e.seq === e.logPos ? [] : [e.seq]),
]

/** The chain link: a hash over the event's canonical header, its lines' hash and the previous event's hash. */
export function eventHash(e: Omit<StoredEvent, 'hash'>): string {
  return newSha256()
    .update(JSON.stringify(eventHeaderFields(e)))
    .digest('hex')
}

/** What an API answer shows as the hash of an event the sequencer has not placed in the log yet. */
export const PENDING_HASH = ''
