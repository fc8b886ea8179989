import { AppError } from '../../core/errors.js'
import * as op from '../operations/operations.rules.js'
import type { AdjustRequest } from './adjustments.schemas.js'

export interface AdjustFacts {
  location?: op.LocationFact
  units: op.UnitFact[]
  quantities: op.QuantityFact[]
}

/** Stock found (back in stock at a location) or lost (missing), always with a reason. */
export function decideAdjust(cmd: AdjustRequest, f: AdjustFacts, ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(cmd.units, cmd.quantities)
  const isFound = cmd.kind === 'found'
  if (isFound && cmd.units.length > 0 && !cmd.location)
    throw new AppError('request.invalid', 'location: say where the found units are')
  // Units lost "from" a location must have been there: the event would otherwise say so wrongly.
  if (!isFound && f.location) op.refuseUnitsOutside(f.units, f.location)
  return op.planOperation(ctx, {
    type: cmd.kind,
    document: { type: 'adjustment', prefix: 'ADJ' },
    to: isFound ? (f.location ?? null) : null,
    from: isFound ? null : (f.location ?? null),
    reason: cmd.reason,
    occurredAt: op.businessTime(cmd.adjustedAt, ctx.now),
    payload: {},
    units: f.units,
    quantities: op.plannedQuantities(f.quantities, isFound ? 1 : -1),
  })
}
