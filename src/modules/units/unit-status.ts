import { AppError } from '../../core/errors.js'

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
] as const
export type UnitEventType = (typeof UNIT_EVENT_TYPES)[number]

interface Transition {
  /** Statuses the unit may be in before the event. */
  from: readonly UnitStatus[]
  /** Status after the event; `same` keeps it (a move of a quarantined unit stays quarantined). */
  to: UnitStatus | 'same'
  /** Whether the event names the location the unit ends up at. */
  hasLocation: boolean
}

/**
 * The unit state machine: for each event, where a unit may come from and where it goes. Anything not
 * listed is illegal. `received` creates the unit, so it has no `from`.
 */
export const TRANSITIONS: Record<UnitEventType, Transition> = {
  received: { from: [], to: 'in_stock', hasLocation: true },
  moved: { from: LOCATED_STATUSES, to: 'same', hasLocation: true },
  transfer_shipped: { from: ['in_stock'], to: 'in_transit', hasLocation: false },
  transfer_received: { from: ['in_transit'], to: 'in_stock', hasLocation: true },
  sold: { from: ['in_stock'], to: 'sold', hasLocation: false },
  returned: { from: ['sold'], to: 'returned', hasLocation: true },
  restocked: { from: ['returned', 'quarantined', 'in_repair'], to: 'in_stock', hasLocation: false },
  found: { from: ['missing'], to: 'in_stock', hasLocation: true },
  lost: { from: ['in_stock', 'returned', 'quarantined', 'in_repair', 'in_transit'], to: 'missing', hasLocation: false },
  scrapped: { from: ['in_stock', 'returned', 'quarantined', 'in_repair'], to: 'scrapped', hasLocation: false },
}

/** What a unit must look like for a transition check. */
export interface UnitState {
  serial: string
  skuCode: string
  status: UnitStatus
}

/** Why a unit cannot take this event, or undefined when the transition is legal. */
export function transitionRefusal(type: UnitEventType, unit: UnitState): string | undefined {
  if (TRANSITIONS[type].from.includes(unit.status)) return undefined
  return `${unit.skuCode} ${unit.serial} is ${unit.status}; ${type.replace('_', ' ')} needs ${TRANSITIONS[type].from.join(' or ')}`
}

/** Status a unit has after the event. */
export function statusAfter(type: UnitEventType, before: UnitStatus | null): UnitStatus {
  const to = TRANSITIONS[type].to
  if (to !== 'same') return to
  if (before === null) throw new AppError('internal', `${type} needs a prior status`)
  return before
}
