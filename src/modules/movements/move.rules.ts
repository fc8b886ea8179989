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
import type { MoveRequest } from './movements.schemas.js'

export interface MoveFacts {
  to: LocationFact
  from?: LocationFact
  units: UnitFact[]
  /** The quantity lines as they leave their `from` location. */
  quantities: QuantityFact[]
}

/** A move keeps each unit's status and takes quantity stock from one place to another in one event. */
export function decideMove(cmd: MoveRequest, f: MoveFacts, ctx: DecideContext): OperationPlan {
  refuseEmpty(cmd.units, cmd.quantities)
  if (f.from) refuseUnitsOutside(f.units, f.from)
  const outgoing = plannedQuantities(f.quantities, -1)
  const incoming = outgoing.map((l) => ({ ...l, location: f.to, delta: -l.delta }))
  return planOperation(ctx, {
    type: 'moved',
    document: { type: 'move', prefix: 'MOV' },
    to: f.to,
    from: f.from ?? null,
    reason: cmd.reason ?? null,
    occurredAt: businessTime(cmd.movedAt, ctx.now),
    payload: {},
    units: f.units,
    quantities: [...outgoing, ...incoming],
  })
}
