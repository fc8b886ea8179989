import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import {
  MAX_UNITS_PER_OPERATION,
  UnitRefSchema,
  at,
  containers,
  number,
  quantities,
  reason,
  units,
  when,
} from '../operations/operations.schemas.js'

export const MoveRequest = z
  .object({
    to: code('location').describe('destination location'),
    from: code('location').optional().describe('if given, every unit must currently be inside this location'),
    units,
    containers,
    quantities: quantities({ from: at }, 'MoveQuantity'),
    reason: reason.optional(),
    movedAt: when('of the move'),
  })
  .strict()
  .meta({ id: 'MoveRequest' })

export const ShipTransferRequest = z
  .object({
    from: code('location').describe('location the goods leave; units must be inside it'),
    to: code('location').describe('destination location'),
    number,
    units,
    containers,
    quantities: quantities({}, 'TransferQuantity'),
    shippedAt: when('of shipping'),
  })
  .strict()
  .meta({ id: 'ShipTransferRequest' })

export const ReceiveTransferRequest = z
  .object({
    units: z
      .array(UnitRefSchema)
      .max(MAX_UNITS_PER_OPERATION)
      .optional()
      .describe('units that arrived; all still in transit when omitted (and no containers are named)'),
    containers: containers.optional(),
    location: code('location')
      .optional()
      .describe('bin inside the destination to put the goods in; the destination itself when omitted'),
    receivedAt: when('of arrival'),
  })
  .strict()
  .meta({ id: 'ReceiveTransferRequest' })

export type MoveRequest = z.infer<typeof MoveRequest>
export type ShipTransferRequest = z.infer<typeof ShipTransferRequest>
export type ReceiveTransferRequest = z.infer<typeof ReceiveTransferRequest>
