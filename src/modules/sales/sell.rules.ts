import { toMinor } from '../../core/money.js'
import * as op from '../operations/operations.rules.js'
import { refuseRecalled } from '../quality/quality.rules.js'
import { type Holds, refuseHeld } from '../orders/holds.rules.js'
import type { SellRequest } from './sales.schemas.js'

export interface SellFacts {
  customer?: { id: string }
  from?: op.LocationFact
  units: op.UnitFact[]
  /** List price per SKU id, for units sold without a price of their own. */
  listPrices: ReadonlyMap<string, number>
  /** Each unit's own current price (its latest price change) by unit id, used before the list price. */
  unitPrices?: ReadonlyMap<string, number>
  quantities: op.QuantityFact[]
  /** The open recall covering a unit (unit id → recall number), if any. */
  recalls?: ReadonlyMap<string, string>
  /** What open sales orders hold of these units and quantities (picked units, reserved stock). */
  holds?: Holds
}

/** Whether a sale names its own prices (a price change, which needs `price.override`). */
export const namesOwnPrices = (cmd: SellRequest): boolean =>
  cmd.units.some((u) => typeof u !== 'string' && u.price !== undefined) ||
  cmd.quantities.some((q) => q.price !== undefined)

/** A sale: in-stock units (at the selling store when named) and quantities leave to a customer. */
export function decideSell(cmd: SellRequest, f: SellFacts, ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(f.units, f.quantities)
  if (f.recalls) refuseRecalled(f.units, f.recalls, 'sold')
  if (f.from) op.refuseUnitsOutside(f.units, f.from)
  refuseHeld(f.units, f.quantities, f.holds)
  const prices = f.units.map((u, i) => {
    const ref = cmd.units[i]
    const given = typeof ref === 'string' ? undefined : ref?.price
    return given !== undefined ? toMinor(given) : (f.unitPrices?.get(u.id) ?? f.listPrices.get(u.skuId)!)
  })
  return op.planOperation(ctx, {
    type: 'sold',
    document: { type: 'order', number: cmd.number, prefix: 'ORD', partyId: f.customer?.id, reference: cmd.orderRef },
    to: null,
    from: f.from ?? null,
    reason: 'sale',
    occurredAt: op.businessTime(cmd.soldAt, ctx.now),
    payload: {
      customerId: f.customer?.id,
      orderRef: cmd.orderRef,
      ...extendedWarranties(cmd, f.units),
      ...op.containersTaken(cmd.containers),
    },
    units: f.units,
    unitPrices: prices,
    quantities: op.plannedQuantities(f.quantities, -1),
  })
}

/** The extended warranties bought on the sale's lines, by serial (on the event's payload), if any. */
function extendedWarranties(cmd: SellRequest, units: readonly op.UnitFact[]) {
  const bought = units.flatMap((u, i) => {
    const ref = cmd.units[i]
    const ext = typeof ref === 'string' ? undefined : ref?.extendedWarranty
    return ext ? [[u.serial, { months: ext.months, priceMinor: toMinor(ext.price) }] as const] : []
  })
  return bought.length > 0 ? { extendedWarranty: Object.fromEntries(bought) } : {}
}
