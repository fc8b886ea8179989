import { AppError } from '../../core/errors.js'
import {
  businessTime,
  type DecideContext,
  isWithin,
  type LocationFact,
  type OperationPlan,
  planOperation,
  plannedQuantities,
  type QuantityFact,
  refuseEmpty,
  refuseUnitsOutside,
  type UnitFact,
} from '../operations/operations.rules.js'
import type { ShipTransferRequest } from './movements.schemas.js'

export interface ShipTransferFacts {
  from: LocationFact
  to: LocationFact
  units: UnitFact[]
  quantities: QuantityFact[]
}

/** A transfer goes between two sites: its goods leave `from` and are in transit until `to` receives them. */
export function decideShipTransfer(cmd: ShipTransferRequest, f: ShipTransferFacts, ctx: DecideContext): OperationPlan {
  refuseEmpty(cmd.units, cmd.quantities)
  const { from, to } = f
  if (isWithin(to, from) || isWithin(from, to))
    throw new AppError('transfer.invalid', `${from.code} and ${to.code} are the same site; use a move`)
  refuseUnitsOutside(f.units, from)
  return planOperation(ctx, {
    type: 'transfer_shipped',
    document: { type: 'transfer', number: cmd.number, prefix: 'TRF', toLocationId: to.id },
    to,
    from,
    reason: 'transfer',
    occurredAt: businessTime(cmd.shippedAt, ctx.now),
    payload: {},
    units: f.units,
    quantities: plannedQuantities(f.quantities, -1),
  })
}
