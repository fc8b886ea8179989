import { z } from 'zod'

/*
 * The stock query and row schemas, apart from stock.ts so the web app can type its API answers from
 * them: this module imports only zod, never the database.
 */

export const StockQuery = z
  .object({
    sku: z.string().optional().describe('SKU code'),
    location: z.string().optional().describe('location code; includes everything beneath it'),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .strict()

export type StockQuery = z.infer<typeof StockQuery>

export const StockRow = z
  .object({
    sku: z.string(),
    skuName: z.string(),
    tracking: z.string(),
    location: z.string(),
    lot: z.string().nullable(),
    onHand: z.number().describe('in-stock serial units, or quantity on hand'),
    value: z.number().describe('on hand at standard cost'),
  })
  .meta({ id: 'StockRow' })
export type StockRow = z.infer<typeof StockRow>
