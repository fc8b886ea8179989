import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import {
  documentNumber,
  price,
  quantity,
  serial,
  SerialOrScanRef,
  UnitRefSchema,
  when,
} from '../operations/operations.schemas.js'

/*
 * Sales orders: what a shop, a till, an import or a clerk sends (the documented order format of
 * docs/integrations.md), and what the API answers about an order, its pick list and a scan.
 */

export const MAX_ORDER_LINES = 500

export const OrderLineInput = z
  .object({
    sku: code('SKU'),
    quantity: z.number().int().positive().max(1_000_000).describe('how many are ordered'),
    price: price.optional().describe("unit price; the SKU's list price when omitted"),
    serials: z
      .array(SerialOrScanRef)
      .max(1_000_000)
      .optional()
      .describe('for a completed sale (`completed`): the serials the till scanned for this line (or `{"scan": "…"}`)'),
    reserve: z
      .boolean()
      .default(false)
      .describe('quantity-tracked lines: hold this many at the order’s site until shipped or cancelled'),
  })
  .strict()
  .meta({ id: 'OrderLineInput' })

export const PlaceOrderRequest = z
  .object({
    externalRef: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .optional()
      .describe('the shop’s or till’s order id: an order sent again with it is answered, never placed twice'),
    number: documentNumber('order number', 'SO-1234'),
    customer: code('customer').optional().describe('code of the customer party'),
    site: code('location')
      .optional()
      .describe('where the order ships from (picking, reservations and quantity lines use it)'),
    shipBy: z.iso.date().optional().describe('requested ship date, YYYY-MM-DD'),
    source: z.enum(['api', 'ui', 'import', 'pos', 'shop']).default('api').describe('where the order came from'),
    completed: z
      .boolean()
      .default(false)
      .describe('a completed sale (a till): every line ships at once, serial lines with their `serials`'),
    lines: z.array(OrderLineInput).min(1).max(MAX_ORDER_LINES),
    placedAt: when('the order was placed'),
  })
  .strict()
  .meta({ id: 'PlaceOrderRequest' })
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>

export const OrderNumberParam = z.object({ number: z.string().min(1).max(64) })

export const ShipOrderRequest = z
  .object({
    units: z.array(UnitRefSchema).max(200_000).default([]).describe('the picked units (scanned serials)'),
    quantities: z
      .array(quantity({ location: code('location').describe('where the stock is taken from') }, 'ShipQuantity'))
      .max(MAX_ORDER_LINES)
      .default([]),
    shippedAt: when('of the shipment'),
  })
  .strict()
  .meta({ id: 'ShipOrderRequest' })
export type ShipOrderRequest = z.infer<typeof ShipOrderRequest>

export const PickOrderRequest = z
  .object({
    units: z
      .array(UnitRefSchema)
      .min(1)
      .max(10_000)
      .describe('the scanned units: stored as picked for the order, which reserves them for it'),
    pickedAt: when('of the picking'),
  })
  .strict()
  .meta({ id: 'PickOrderRequest' })
export type PickOrderRequest = z.infer<typeof PickOrderRequest>

export const CancelOrderRequest = z
  .object({ reason: z.string().trim().min(1).max(500).optional().describe('why the order is cancelled') })
  .strict()
  .meta({ id: 'CancelOrderRequest' })
export type CancelOrderRequest = z.infer<typeof CancelOrderRequest>

export const ORDER_STATUSES = ['open', 'partially_shipped', 'shipped', 'cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

export const OrderLineView = z.object({
  sku: z.string(),
  name: z.string(),
  tracking: z.enum(['serial', 'lot', 'quantity']),
  quantity: z.number(),
  shipped: z.number(),
  open: z.number().describe('still to ship: a back-order once part of the order has shipped'),
  price: z.number(),
  reserved: z.number().describe('held at the site for this line now'),
})

export const OrderView = z
  .object({
    id: z.string(),
    number: z.string(),
    externalRef: z.string().nullable(),
    customer: z.string().nullable(),
    site: z.string().nullable(),
    shipBy: z.string().nullable(),
    source: z.string(),
    status: z.enum(ORDER_STATUSES),
    placedAt: z.string(),
    picked: z.array(z.string()).describe('serials picked for the order and not shipped yet (reserved for it)'),
    lines: z.array(OrderLineView),
    shipments: z.array(
      z.object({
        eventSeq: z.number(),
        occurredAt: z.string(),
        serials: z.array(z.string()),
        quantity: z.number(),
      }),
    ),
  })
  .meta({ id: 'OrderView' })
export type OrderView = z.infer<typeof OrderView>

export const OrderSummary = OrderView.pick({
  id: true,
  number: true,
  externalRef: true,
  customer: true,
  site: true,
  shipBy: true,
  source: true,
  status: true,
  placedAt: true,
})
  .extend({ ordered: z.number(), shipped: z.number() })
  .meta({ id: 'OrderSummary' })
export type OrderSummary = z.infer<typeof OrderSummary>

export const OrderListQuery = z
  .object({
    status: z.enum(ORDER_STATUSES).optional(),
    search: z.string().max(100).optional().describe('order number or external reference starts with'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()

export const PlacedOrder = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(ORDER_STATUSES),
    placedEventSeq: z.number(),
    shipmentEventSeq: z.number().nullable().describe('the sale event of a completed order'),
    replayed: z.boolean().describe('true when this external order id had been placed before: nothing was written'),
  })
  .meta({ id: 'PlacedOrder' })
export type PlacedOrder = z.infer<typeof PlacedOrder>

export const ScanCheckRequest = z
  .object({
    serial: serial.describe('the scanned serial (or GS1 element string)'),
    picked: z
      .array(serial)
      .max(10_000)
      .default([])
      .describe('serials picked in this session besides those stored as picked for the order'),
  })
  .strict()
  .meta({ id: 'ScanCheckRequest' })

export const ScanCheck = z
  .object({
    ok: z.boolean(),
    serial: z.string(),
    sku: z.string().nullable(),
    code: z.string().nullable().describe('why the scan was refused (an error code), or null'),
    message: z.string(),
    location: z.string().nullable(),
    openForSku: z.number().describe('still to pick of this SKU after this scan'),
  })
  .meta({ id: 'ScanCheck' })
export type ScanCheck = z.infer<typeof ScanCheck>

export const PickListQuery = z
  .object({
    orders: z.string().min(1).max(5000).describe('comma-separated order numbers: one order, or a wave picked together'),
  })
  .strict()

export const PickList = z
  .object({
    orders: z.array(z.string()),
    lines: z.array(
      z.object({
        order: z.string(),
        sku: z.string(),
        name: z.string(),
        tracking: z.enum(['serial', 'lot', 'quantity']),
        open: z.number(),
        picks: z
          .array(z.object({ serial: z.string().nullable(), location: z.string(), quantity: z.number() }))
          .describe('where to pick from: units oldest first, never quarantined; stock by location'),
        short: z.number().describe('how many could not be found at the site'),
      }),
    ),
  })
  .meta({ id: 'PickList' })
export type PickList = z.infer<typeof PickList>
