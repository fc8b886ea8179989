import { AppError } from '../../core/errors.js'
import * as op from '../operations/operations.rules.js'
import type { ReceiveTransferRequest } from './movements.schemas.js'

/** A shipped transfer, with what is still on its way (units, and quantities per SKU and lot). */
export interface ReceiveTransferFacts {
  transfer: { id: string; number: string }
  /** Where the transfer was shipped from (recorded on the event as its origin). */
  origin: op.LocationFact | null
  destination: op.LocationFact
  /** Where the goods go: the destination or a bin inside it. */
  target: op.LocationFact
  /** The units named, or every unit still in transit on the transfer. */
  units: op.UnitFact[]
  /** Quantities shipped and not yet received (only when the request names no units). */
  outstanding: {
    sku: op.DraftQuantity['sku']
    lotId: string | null
    quantity: number
    latestEvent?: op.DraftQuantity['latestEvent']
  }[]
  /** Stock packed in the containers named, with the transfer it travels on (null: not in transit). */
  packed?: {
    container: string
    transferId: string | null
    sku: op.DraftQuantity['sku']
    lotId: string | null
    quantity: number
  }[]
  /** The containers arriving (named, or whose packed stock is in transit on the transfer). */
  containers?: readonly string[]
}

/** A transfer arrives at its destination: everything still in transit, or the units named. */
export function decideReceiveTransfer(
  cmd: ReceiveTransferRequest & { number: string },
  f: ReceiveTransferFacts,
  ctx: op.DecideContext,
): op.OperationPlan {
  const { target, destination } = f
  if (!op.isWithin(target, destination))
    throw new AppError('transfer.invalid', `${target.code} is not inside the destination ${destination.code}`)
  const strays = f.units.filter((u) => u.transferId !== f.transfer.id)
  if (strays.length > 0)
    throw new AppError(
      'transfer.invalid',
      `${strays.map((u) => `${u.skuCode} ${u.serial}`).join(', ')} not in transit on ${cmd.number}`,
    )
  const packed = f.packed ?? []
  const strayContainers = [...new Set(packed.filter((p) => p.transferId !== f.transfer.id).map((p) => p.container))]
  if (strayContainers.length > 0)
    throw new AppError('transfer.invalid', `container ${strayContainers.join(', ')} not in transit on ${cmd.number}`)
  if (f.units.length === 0 && f.outstanding.length === 0 && packed.length === 0)
    throw new AppError('transfer.invalid', `transfer ${cmd.number} has nothing left in transit`)
  return op.planOperation(ctx, {
    type: 'transfer_received',
    document: { type: 'transfer', existingId: f.transfer.id, number: cmd.number },
    to: target,
    from: f.origin,
    reason: 'transfer',
    occurredAt: op.businessTime(cmd.receivedAt, ctx.now),
    payload: op.containersTaken(f.containers),
    units: f.units,
    quantities: [...f.outstanding, ...packed].map((o) => ({
      sku: o.sku,
      lotId: o.lotId,
      latestEvent: 'latestEvent' in o ? o.latestEvent : undefined,
      location: target,
      delta: o.quantity,
      priceMinor: null,
      onHand: 0,
    })),
  })
}
