import {
  businessTime,
  type DecideContext,
  type LocationFact,
  type OperationPlan,
  planOperation,
  plannedQuantities,
  type QuantityFact,
  refuseEmpty,
  type UnitFact,
} from '../operations/operations.rules.js'
import type { ReturnRequest } from './sales.schemas.js'

export interface ReturnFacts {
  location: LocationFact
  customer?: { id: string }
  units: UnitFact[]
  quantities: QuantityFact[]
}

/** A customer return: sold units (and quantities) come back into a location, status `returned`. */
export function decideReturn(cmd: ReturnRequest, f: ReturnFacts, ctx: DecideContext): OperationPlan {
  refuseEmpty(cmd.units, cmd.quantities)
  return planOperation(ctx, {
    type: 'returned',
    document: { type: 'return', prefix: 'RMA', partyId: f.customer?.id, reference: cmd.orderRef },
    to: f.location,
    from: null,
    reason: cmd.reason ?? 'customer return',
    occurredAt: businessTime(cmd.returnedAt, ctx.now),
    payload: { customerId: f.customer?.id, orderRef: cmd.orderRef },
    units: f.units,
    quantities: plannedQuantities(f.quantities, 1),
  })
}
