import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'

export const MAX_UNITS_PER_OPERATION = 200_000

const serial = z.string().min(1).max(200)
export const UnitRefSchema = z
  .union([
    serial,
    z
      .object({
        serial,
        sku: code('SKU').optional().describe('SKU code, needed only when the serial exists for two SKUs'),
      })
      .strict(),
  ])
  .describe('a serial, or {serial, sku}')
const units = z.array(UnitRefSchema).max(MAX_UNITS_PER_OPERATION).default([]).describe('serial-tracked units')
const price = z.number().nonnegative().max(1e12)
const when = (what: string) =>
  z.iso.datetime({ offset: true }).optional().describe(`business time ${what}; defaults to now`)
const reason = z.string().trim().min(1).max(500)
const number = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .optional()
  .describe(
    'document number; when omitted, generated from the next event number (ORD-1234 for a sale, TRF-1234 for a transfer…; with -2 if a client already used that number)',
  )

const quantity = <E extends z.ZodRawShape>(extra: E, id: string) =>
  z
    .object({
      sku: code('SKU'),
      lot: z.string().trim().min(1).max(64).optional().describe('lot code (required for lot-tracked SKUs)'),
      quantity: z.number().int().positive().max(1e9),
      ...extra,
    })
    .strict()
    .meta({ id })
const at = code('location').describe('code of the location the stock is at')

export const MoveRequest = z
  .object({
    to: code('location').describe('destination location'),
    from: code('location').optional().describe('if given, every unit must currently be inside this location'),
    units,
    quantities: z
      .array(quantity({ from: at }, 'MoveQuantity'))
      .max(1000)
      .default([]),
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
    quantities: z.array(quantity({}, 'TransferQuantity')).max(1000).default([]),
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
      .describe('units that arrived; all still in transit when omitted'),
    location: code('location')
      .optional()
      .describe('bin inside the destination to put the goods in; the destination itself when omitted'),
    receivedAt: when('of arrival'),
  })
  .strict()
  .meta({ id: 'ReceiveTransferRequest' })

export const SellRequest = z
  .object({
    customer: code('customer').optional().describe('code of the customer party (anonymous walk-in sale when omitted)'),
    orderRef: z.string().trim().min(1).max(120).describe('order or receipt number'),
    number,
    from: code('location').optional().describe('if given, every unit must be inside this location (the selling store)'),
    units: z
      .array(
        z.union([
          serial,
          z
            .object({
              serial,
              sku: code('SKU').optional(),
              price: price.optional().describe("sale price; the SKU's price when omitted"),
            })
            .strict(),
        ]),
      )
      .max(MAX_UNITS_PER_OPERATION)
      .default([]),
    quantities: z
      .array(quantity({ location: at, price: price.optional() }, 'SellQuantity'))
      .max(1000)
      .default([]),
    soldAt: when('of the sale'),
  })
  .strict()
  .meta({ id: 'SellRequest' })

export const ReturnRequest = z
  .object({
    location: code('location').describe('where the returned goods are put'),
    customer: code('customer').optional(),
    orderRef: z.string().trim().max(120).optional(),
    reason: reason.optional(),
    units,
    quantities: z.array(quantity({}, 'ReturnQuantity')).max(1000).default([]),
    returnedAt: when('of the return'),
  })
  .strict()
  .meta({ id: 'ReturnRequest' })

export const RestockRequest = z
  .object({ units, reason: reason.optional(), restockedAt: when('of restocking') })
  .strict()
  .meta({ id: 'RestockRequest' })

export const AdjustRequest = z
  .object({
    kind: z.enum(['found', 'lost']).describe('found: back in stock; lost: missing'),
    reason: reason.describe('why (count difference, theft report…)'),
    location: code('location')
      .optional()
      .describe(
        'found: where the units are now (required for units); lost: where they went missing (every unit must be inside it)',
      ),
    units,
    quantities: z
      .array(quantity({ location: at }, 'AdjustQuantity'))
      .max(1000)
      .default([]),
    adjustedAt: when('of the adjustment'),
  })
  .strict()
  .meta({ id: 'AdjustRequest' })

export const ScrapRequest = z
  .object({
    reason: reason.describe('why the goods are destroyed'),
    units,
    quantities: z
      .array(quantity({ location: at }, 'ScrapQuantity'))
      .max(1000)
      .default([]),
    scrappedAt: when('of scrapping'),
  })
  .strict()
  .meta({ id: 'ScrapRequest' })

export const OperationResult = z
  .object({
    documentId: z.string(),
    number: z.string(),
    eventId: z.string(),
    eventSeq: z.number(),
    unitCount: z.number(),
    quantity: z.number().describe('sum of the quantities moved'),
  })
  .meta({ id: 'OperationResult' })

export type MoveRequest = z.infer<typeof MoveRequest>
export type ShipTransferRequest = z.infer<typeof ShipTransferRequest>
export type ReceiveTransferRequest = z.infer<typeof ReceiveTransferRequest>
export type SellRequest = z.infer<typeof SellRequest>
export type ReturnRequest = z.infer<typeof ReturnRequest>
export type RestockRequest = z.infer<typeof RestockRequest>
export type AdjustRequest = z.infer<typeof AdjustRequest>
export type ScrapRequest = z.infer<typeof ScrapRequest>
export type OperationResult = z.infer<typeof OperationResult>
