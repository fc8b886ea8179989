import * as op from '../operations/operations.rules.js'
import { refuseQuarantinedToStore } from '../quality/quality.rules.js'
import type { MoveRequest } from './movements.schemas.js'

export interface MoveFacts {
  /** The destination; its kind (a store is a sales location, where quarantined units may not go). */
  to: op.LocationFact & { kind?: string }
  from?: op.LocationFact
  units: op.UnitFact[]
  /** The quantity lines as they leave their `from` location, then the stock packed in the containers named. */
  quantities: op.QuantityFact[]
  /** The latest event of each line's stock row at `to`, parallel to `quantities`. */
  arriving?: readonly (op.LatestEvent | undefined)[]
}

/** A move keeps each unit's status and takes quantity stock from one place to another in one event. */
export function decideMove(cmd: MoveRequest, f: MoveFacts, ctx: op.DecideContext): op.OperationPlan {
  op.refuseEmpty(f.units, f.quantities)
  if (f.from) op.refuseUnitsOutside(f.units, f.from)
  refuseQuarantinedToStore(f.units, f.to)
  const outgoing = op.plannedQuantities(f.quantities, -1)
  const incoming = outgoing.map((l, i) => ({ ...l, location: f.to, delta: -l.delta, latestEvent: f.arriving?.[i] }))
  return op.planOperation(ctx, {
    type: 'moved',
    document: { type: 'move', prefix: 'MOV' },
    to: f.to,
    from: f.from ?? null,
    reason: cmd.reason ?? null,
    occurredAt: op.businessTime(cmd.movedAt, ctx.now),
    payload: op.containersTaken(cmd.containers),
    units: f.units,
    quantities: [...outgoing, ...incoming],
  })
}
