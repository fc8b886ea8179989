import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import {
  MAX_UNITS_PER_OPERATION,
  at,
  number,
  price,
  quantities,
  reason,
  readScan,
  unitRefObject,
  serial,
  units,
  when,
} from '../operations/operations.schemas.js'

export const SellRequest = z
  .object({
    customer: code('customer').optional().describe('code of the customer party (anonymous walk-in sale when omitted)'),
    orderRef: z.string().trim().min(1).max(120).describe('order or receipt number'),
    number,
    from: code('location').optional().describe('if given, every unit must be inside this location (the selling store)'),
    units: z
      .array(
        z.preprocess(
          readScan,
          z.union([
            serial,
            unitRefObject({ price: price.optional().describe("sale price; the SKU's price when omitted") }),
          ]),
        ),
      )
      .max(MAX_UNITS_PER_OPERATION)
      .default([]),
    quantities: quantities({ location: at, price: price.optional() }, 'SellQuantity'),
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
    quantities: quantities({}, 'ReturnQuantity'),
    returnedAt: when('of the return'),
  })
  .strict()
  .meta({ id: 'ReturnRequest' })

export type SellRequest = z.infer<typeof SellRequest>
export type ReturnRequest = z.infer<typeof ReturnRequest>
