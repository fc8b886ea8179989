/*
 * What open sales orders hold, pure: a unit picked for an order (its `order_picked` event) and the
 * quantity stock a reserving line holds at the order's site may leave only on that order. Every sale
 * asks this (plain `POST /sales`, a till's completed order, another order's shipment), so a reservation
 * holds against everyone, not only against other orders.
 */
import { IssueList } from '../../core/errors.js'
import type { LocationFact, QuantityFact, UnitFact } from '../operations/operations.rules.js'

/** A unit picked for an open order. */
export interface UnitHold {
  unitId: string
  order: string
}

/** Quantity stock of one SKU that open orders reserve at a site, with what is on hand inside it. */
export interface QuantityHold {
  site: LocationFact
  skuId: string
  sku: string
  onHand: number
  reserved: number
  orders: string[]
}

/** What open orders (other than the one acting, if any) hold of what a command takes. */
export interface Holds {
  units: readonly UnitHold[]
  quantities: readonly QuantityHold[]
}

export const NO_HOLDS: Holds = { units: [], quantities: [] }

/** Why a unit may not leave outside the order it is picked for, or undefined when none holds it. */
export function heldUnitRefusal(unit: Pick<UnitFact, 'id' | 'serial' | 'skuCode'>, holds: Holds): string | undefined {
  const hold = holds.units.find((h) => h.unitId === unit.id)
  return hold && `${unit.skuCode} ${unit.serial} is reserved for order ${hold.order} (picked for it)`
}

const listed = (orders: readonly string[]) =>
  orders.length > 3 ? `${orders.slice(0, 3).join(', ')} and ${orders.length - 3} more` : orders.join(', ')

/**
 * Refuses, all at once, units picked for another order and quantities beyond what is free at a site
 * (on hand inside it minus what open orders reserve there), naming the orders that hold them.
 */
export function refuseHeld(
  units: readonly UnitFact[],
  quantities: readonly Pick<QuantityFact, 'sku' | 'location' | 'quantity'>[],
  holds: Holds | undefined,
): void {
  if (!holds || (holds.units.length === 0 && holds.quantities.length === 0)) return
  const issues = new IssueList()
  units.forEach((u, i) => {
    const refusal = heldUnitRefusal(u, holds)
    if (refusal) issues.add({ row: i + 1, field: `units[${i}]`, value: u.serial, message: refusal })
  })
  for (const h of holds.quantities) {
    const wanted = quantities
      .filter((q) => q.sku.id === h.skuId && q.location.path.startsWith(h.site.path))
      .reduce((n, q) => n + q.quantity, 0)
    const free = Math.max(0, h.onHand - h.reserved)
    if (wanted > free)
      issues.add({
        field: 'quantities',
        value: h.sku,
        message:
          `${h.sku}: ${wanted} wanted at ${h.site.code}, ${free} free ` +
          `(${h.reserved} reserved for order ${listed(h.orders)})`,
      })
  }
  issues.throwIfAny('order.reserved', 'reserved for an order')
}
