/*
 * The unit state machine: every ledger event a unit can take, where it may come from, where it goes,
 * and what the event writes on the unit's projection row. A new event is one row here (the compiler
 * then asks for it wherever events are listed); replay (`verify`) uses the same rows as the live path.
 */
import { AppError } from '../../core/errors.js'
import type { UnitTable } from './units.tables.js'

export const UNIT_STATUSES = [
  'in_stock',
  'in_transit',
  'sold',
  'returned',
  'quarantined',
  'in_repair',
  'returned_to_vendor',
  'scrapped',
  'missing',
] as const
export type UnitStatus = (typeof UNIT_STATUSES)[number]

/** Statuses in which a unit sits at one of our locations; in every other status its location is empty. */
export const LOCATED_STATUSES: readonly UnitStatus[] = ['in_stock', 'returned', 'quarantined', 'in_repair']

/** Every status but the final ones (scrapped, returned to the vendor). */
const LIVE_STATUSES: readonly UnitStatus[] = UNIT_STATUSES.filter((s) => s !== 'scrapped' && s !== 'returned_to_vendor')

/** The business operations that change a unit, each a past-tense ledger event type. */
export const UNIT_EVENT_TYPES = [
  'received',
  'moved',
  'transfer_shipped',
  'transfer_received',
  'sold',
  'returned',
  'restocked',
  'found',
  'lost',
  'scrapped',
  'count_started',
  'counted',
  'count_recounted',
  'count_closed',
  'order_placed',
  'order_cancelled',
  'inspected',
  'quarantined',
  'released',
  'returned_to_vendor',
  'recall_opened',
  'recall_outcome',
  'recall_closed',
  'claim_opened',
  'claim_status_changed',
  'warranty_term_set',
  'warranty_claimed',
  'warranty_voided',
  'warranty_transferred',
  'warranty_token_rotated',
  'repair_started',
  'repair_returned',
  'restocked_open_box',
  'price_changed',
  'order_picked',
  'packed',
  'unpacked',
] as const
export type UnitEventType = (typeof UNIT_EVENT_TYPES)[number]

/** The columns of the unit projection an event may set (received units are inserted whole instead). */
export type UnitPatch = Partial<
  Pick<
    UnitTable,
    | 'status'
    | 'location_id'
    | 'customer_id'
    | 'order_ref'
    | 'sale_price_minor'
    | 'sold_at'
    | 'transfer_id'
    | 'list_price_minor'
    | 'located_at'
    | 'back_in_stock_at'
    | 'container_code'
  >
>

/** What a patch is computed from: the event's header and payload, and the unit's own line. */
export interface PatchInput {
  locationId: string | null
  documentId: string | null
  occurredAt: string
  payload: { customerId?: string; orderRef?: string; container?: string }
  priceMinor: number | null
}

interface Transition {
  /** Statuses the unit may be in before the event. */
  from: readonly UnitStatus[]
  /** Status after the event; `same` keeps it (a move of a quarantined unit stays quarantined). */
  to: UnitStatus | 'same'
  /** Whether the event names the location the unit ends up at. */
  hasLocation: boolean
  /**
   * The columns the event sets besides status, version and last event. It depends only on the event and
   * the unit's line, never on a read, which is what lets one UPDATE move a hundred thousand units.
   */
  patch(e: PatchInput): UnitPatch
  /**
   * An observation, not a change: the event's unit lines record that a unit was seen (a count's scan)
   * and leave the unit projection as it is, and its quantity lines are counted quantities, not deltas.
   */
  observes?: true
  /**
   * The event's unit lines each name their own transition, one of these (a count's close: missing units
   * lost, misplaced ones moved, scanned missing ones found), in the line's `attributes` (`lineTransitionText`).
   */
  perLine?: readonly UnitEventType[]
}

/** Every status but the final ones (scrapped, returned to vendor): what a warranty fact may be recorded on. */
const NOT_FINAL = UNIT_STATUSES.filter((s) => s !== 'scrapped' && s !== 'returned_to_vendor')

const none = () => ({})
const leaves = () => ({ location_id: null, transfer_id: null, container_code: null })
// Arriving at a location starts the unit's days there (ageing by location).
const lands = (e: PatchInput) => ({ location_id: e.locationId, located_at: e.occurredAt })

/**
 * For each event, where a unit may come from, where it goes and what changes on it. Anything not listed
 * is illegal. `received` creates the unit, so it has no `from`.
 */
export const TRANSITIONS: Record<UnitEventType, Transition> = {
  received: { from: [], to: 'in_stock', hasLocation: true, patch: none },
  moved: { from: LOCATED_STATUSES, to: 'same', hasLocation: true, patch: lands },
  transfer_shipped: {
    from: ['in_stock'],
    to: 'in_transit',
    hasLocation: false,
    patch: (e) => ({ location_id: null, transfer_id: e.documentId }),
  },
  transfer_received: {
    from: ['in_transit'],
    to: 'in_stock',
    hasLocation: true,
    patch: (e) => ({ location_id: e.locationId, transfer_id: null, located_at: e.occurredAt }),
  },
  sold: {
    from: ['in_stock'],
    to: 'sold',
    hasLocation: false,
    patch: (e) => ({
      location_id: null,
      // A sold unit leaves its container (selling a container empties it).
      container_code: null,
      customer_id: e.payload.customerId ?? null,
      order_ref: e.payload.orderRef ?? null,
      sale_price_minor: e.priceMinor,
      sold_at: e.occurredAt,
    }),
  },
  returned: { from: ['sold'], to: 'returned', hasLocation: true, patch: lands },
  // Back to stock after a return or a repair: ageing restarts from here (the receipt age stays).
  restocked: {
    from: ['returned', 'quarantined', 'in_repair'],
    to: 'in_stock',
    hasLocation: false,
    patch: (e) => ({ back_in_stock_at: e.occurredAt }),
  },
  found: { from: ['missing'], to: 'in_stock', hasLocation: true, patch: lands },
  lost: {
    from: ['in_stock', 'returned', 'quarantined', 'in_repair', 'in_transit'],
    to: 'missing',
    hasLocation: false,
    patch: leaves,
  },
  scrapped: {
    from: ['in_stock', 'returned', 'quarantined', 'in_repair'],
    to: 'scrapped',
    hasLocation: false,
    patch: leaves,
  },
  // A count: its start, its scans (units seen, whatever their status), a zone's recount and its close are
  // facts of the ledger too; the count's tally is their projection. Start, recount and close carry no units.
  count_started: { from: [], to: 'same', hasLocation: true, patch: none },
  counted: { from: UNIT_STATUSES, to: 'same', hasLocation: true, patch: none, observes: true },
  count_recounted: { from: [], to: 'same', hasLocation: true, patch: none },
  // A count's close is one event: each unit line says its own transition (lost, moved or found, with where);
  // its quantity lines are the stock deltas of its variances.
  count_closed: { from: [], to: 'same', hasLocation: true, patch: none, perLine: ['lost', 'moved', 'found'] },
  // A sales order's facts: placed (its lines are in its document) and cancelled. No unit takes them.
  order_placed: { from: [], to: 'same', hasLocation: false, patch: none },
  order_cancelled: { from: [], to: 'same', hasLocation: false, patch: none },
  // Quality: an inspection is a fact about located units (pass or fail, defect codes, attachments' SHA-256
  // in its payload); a failed one that quarantines is a `quarantined` event carrying the same payload.
  // A unit in transit may be inspected too (on the truck, at a cross-dock): recorded, not moved or held.
  inspected: { from: [...LOCATED_STATUSES, 'in_transit'], to: 'same', hasLocation: false, patch: none },
  quarantined: { from: LOCATED_STATUSES, to: 'quarantined', hasLocation: false, patch: none },
  // Released from quarantine: back on sale, so its days in stock restart as after a return's restock.
  released: {
    from: ['quarantined'],
    to: 'in_stock',
    hasLocation: false,
    patch: (e) => ({ back_in_stock_at: e.occurredAt }),
  },
  // Warranty: a unit's own term (promotion, refurbished), a claim, a void, a hand-over to a new owner (who
  // becomes the unit's customer) and a new public-check token; none moves the unit. Repairs do.
  warranty_term_set: { from: NOT_FINAL, to: 'same', hasLocation: false, patch: none },
  warranty_claimed: { from: ['sold'], to: 'same', hasLocation: false, patch: none },
  warranty_voided: { from: NOT_FINAL, to: 'same', hasLocation: false, patch: none },
  warranty_transferred: {
    from: ['sold'],
    to: 'same',
    hasLocation: false,
    patch: (e) => ({ customer_id: e.payload.customerId ?? null }),
  },
  warranty_token_rotated: { from: NOT_FINAL, to: 'same', hasLocation: false, patch: none },
  repair_started: { from: ['sold', 'returned'], to: 'in_repair', hasLocation: true, patch: lands },
  // Back to the customer who owns it: the sale's columns stay as they were.
  repair_returned: { from: ['in_repair'], to: 'sold', hasLocation: false, patch: leaves },
  // A return disposition: back on sale as open-box (its price and shorter term are on the event). The
  // line's price becomes the unit's own price, and its ageing restarts as for a restock.
  restocked_open_box: {
    from: ['returned'],
    to: 'in_stock',
    hasLocation: false,
    patch: (e) => ({ list_price_minor: e.priceMinor, back_in_stock_at: e.occurredAt }),
  },
  returned_to_vendor: {
    from: ['in_stock', 'returned', 'quarantined', 'in_repair'],
    to: 'returned_to_vendor',
    hasLocation: false,
    patch: leaves,
  },
  // A recall's document events: opened (its criteria in the payload), an outcome per unit (returned,
  // repaired, …: the unit keeps its status), closed. Scrapped and returned-to-vendor units are resolved.
  recall_opened: { from: [], to: 'same', hasLocation: false, patch: none },
  recall_outcome: { from: LIVE_STATUSES, to: 'same', hasLocation: false, patch: none },
  recall_closed: { from: [], to: 'same', hasLocation: false, patch: none },
  // A supplier claim: opened for its units, then sent, accepted, rejected or credited (no unit lines).
  claim_opened: { from: LIVE_STATUSES, to: 'same', hasLocation: false, patch: none },
  claim_status_changed: { from: [], to: 'same', hasLocation: false, patch: none },
  // A unit's (or a lot's stock) own price: the unit line carries the new price; the status stays.
  price_changed: {
    from: ['in_stock', 'returned', 'quarantined', 'in_repair', 'in_transit'],
    to: 'same',
    hasLocation: false,
    patch: (e) => ({ list_price_minor: e.priceMinor }),
  },
  // A unit picked for an order: it stays in stock, reserved for that order until shipped or the order closes.
  order_picked: { from: ['in_stock'], to: 'same', hasLocation: false, patch: none },
  // Containers: a unit in stock packed into a container (its code in the payload; the first packing creates
  // the container) and taken out again. Its status and location stay; the container goes where its units go.
  packed: {
    from: ['in_stock'],
    to: 'same',
    hasLocation: false,
    patch: (e) => ({ container_code: e.payload.container ?? null }),
  },
  unpacked: { from: LIVE_STATUSES, to: 'same', hasLocation: false, patch: () => ({ container_code: null }) },
}

/** Whether an event only records what was seen (a count's scans) and changes no unit or stock. */
export const isObservation = (type: UnitEventType): boolean => TRANSITIONS[type].observes === true

/** The transition one unit line of an event takes, and where the unit ends up (its location, or none). */
export interface LineTransition {
  type: UnitEventType
  locationId: string | null
}

/** The `attributes` text of a per-line unit line: canonical JSON (keys sorted) naming its transition. */
export function lineTransitionText(t: LineTransition): string {
  return JSON.stringify(t.locationId === null ? { as: t.type } : { as: t.type, location: t.locationId })
}

/**
 * The transition a unit line takes: the event's own, at the event's location; or, for an event whose lines
 * each name theirs (`perLine`), the one its attributes name. Anything else there is a corrupt line.
 */
export function lineTransitionOf(type: UnitEventType, eventLocationId: string | null, attributes: string | null) {
  const allowed = TRANSITIONS[type].perLine
  if (!allowed) return { type, locationId: eventLocationId }
  const a = JSON.parse(attributes ?? '{}') as { as?: UnitEventType; location?: string }
  if (!a.as || !allowed.includes(a.as)) throw new AppError('internal', `a ${type} line names no transition`)
  return { type: a.as, locationId: a.location ?? null }
}

/** What a unit must look like for a transition check. */
export interface UnitState {
  serial: string
  skuCode: string
  status: UnitStatus
}

/** A unit as loaded for a command: its current state (the projection row) and where it is. */
export interface UnitFact extends UnitState {
  id: string
  skuId: string
  locationId: string | null
  locationPath: string | null
  lotId: string | null
  transferId: string | null
  customerId: string | null
  orderRef: string | null
  version: number
  /** The unit's latest ledger event (type and business time); absent where the loader does not know it. */
  latestEvent?: LatestEvent
  /** The container the unit is packed in (absent: loose, or the loader does not know). */
  containerCode?: string
  /**
   * The unit's own current price in minor units (its latest price change); absent when it has none (its
   * SKU's list price applies) or the loader does not know.
   */
  ownPriceMinor?: number
  /** The container the command named to reach this unit (a container scan expands to its contents). */
  viaContainer?: string
}

/** The latest event of a unit or stock row: what a new event's business time may not precede. */
export interface LatestEvent {
  type: UnitEventType
  occurredAt: string
}

/** Why a unit cannot take this event, or undefined when the transition is legal. */
export function transitionRefusal(type: UnitEventType, unit: UnitState): string | undefined {
  const { from } = TRANSITIONS[type]
  if (from.includes(unit.status)) return undefined
  return `${unit.skuCode} ${unit.serial} is ${unit.status}; ${type.replace('_', ' ')} needs ${from.join(' or ')}`
}

/** Status a unit has after the event. */
export function statusAfter(type: UnitEventType, before: UnitStatus | null): UnitStatus {
  const to = TRANSITIONS[type].to
  if (to !== 'same') return to
  if (before === null) throw new AppError('internal', `${type} needs a prior status`)
  return before
}

/** The projection columns an event sets on a unit: its patch, plus the new status unless it keeps it. */
export function unitPatch(type: UnitEventType, e: PatchInput): UnitPatch {
  const { to, patch } = TRANSITIONS[type]
  return to === 'same' ? patch(e) : { status: to, ...patch(e) }
}
