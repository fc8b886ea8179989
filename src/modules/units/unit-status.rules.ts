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
  'order_picked',
] as const
export type UnitEventType = (typeof UNIT_EVENT_TYPES)[number]

/** The columns of the unit projection an event may set (received units are inserted whole instead). */
export type UnitPatch = Partial<
  Pick<
    UnitTable,
    'status' | 'location_id' | 'customer_id' | 'order_ref' | 'sale_price_minor' | 'sold_at' | 'transfer_id'
  >
>

/** What a patch is computed from: the event's header and payload, and the unit's own line. */
export interface PatchInput {
  locationId: string | null
  documentId: string | null
  occurredAt: string
  payload: { customerId?: string; orderRef?: string }
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
}

const none = () => ({})
const leaves = () => ({ location_id: null, transfer_id: null })
const lands = (e: PatchInput) => ({ location_id: e.locationId })

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
    patch: (e) => ({ location_id: e.locationId, transfer_id: null }),
  },
  sold: {
    from: ['in_stock'],
    to: 'sold',
    hasLocation: false,
    patch: (e) => ({
      location_id: null,
      customer_id: e.payload.customerId ?? null,
      order_ref: e.payload.orderRef ?? null,
      sale_price_minor: e.priceMinor,
      sold_at: e.occurredAt,
    }),
  },
  returned: { from: ['sold'], to: 'returned', hasLocation: true, patch: lands },
  restocked: { from: ['returned', 'quarantined', 'in_repair'], to: 'in_stock', hasLocation: false, patch: none },
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
  count_closed: { from: [], to: 'same', hasLocation: true, patch: none },
  // A sales order's facts: placed (its lines are in its document) and cancelled. No unit takes them.
  order_placed: { from: [], to: 'same', hasLocation: false, patch: none },
  order_cancelled: { from: [], to: 'same', hasLocation: false, patch: none },
  // A unit picked for an order: it stays in stock, reserved for that order until shipped or the order closes.
  order_picked: { from: ['in_stock'], to: 'same', hasLocation: false, patch: none },
}

/** Whether an event only records what was seen (a count's scans) and changes no unit or stock. */
export const isObservation = (type: UnitEventType): boolean => TRANSITIONS[type].observes === true

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
