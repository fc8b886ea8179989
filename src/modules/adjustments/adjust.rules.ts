import { AppError } from '../../core/errors.js'
import {
  businessTime,
  type DecideContext,
  type LocationFact,
  type OperationPlan,
  planOperation,
  plannedQuantities,
  type QuantityFact,
  refuseEmpty,
  refuseUnitsOutside,
  type UnitFact,
} from '../operations/operations.rules.js'
import type { AdjustRequest } from './adjustments.schemas.js'

export interface AdjustFacts {
  location?: LocationFact
  units: UnitFact[]
  quantities: QuantityFact[]
}

/** Stock found (back in stock at a location) or lost (missing), always with a reason. */
export function decideAdjust(cmd: AdjustRequest, f: AdjustFacts, ctx: DecideContext): OperationPlan {
  refuseEmpty(cmd.units, cmd.quantities)
  const isFound = cmd.kind === 'found'
  if (isFound && cmd.units.length > 0 && !cmd.location)
    throw new AppError('request.invalid', 'location: say where the found units are')
  // Units lost "from" a location must have been there: the event would otherwise say so wrongly.
  if (!isFound && f.location) refuseUnitsOutside(f.units, f.location)
  return planOperation(ctx, {
    type: cmd.kind,
    document: { type: 'adjustment', prefix: 'ADJ' },
    to: isFound ? (f.location ?? null) : null,
    from: isFound ? null : (f.location ?? null),
    reason: cmd.reason,
    occurredAt: businessTime(cmd.adjustedAt, ctx.now),
    payload: {},
    units: f.units,
    quantities: plannedQuantities(f.quantities, isFound ? 1 : -1),
  })
}
