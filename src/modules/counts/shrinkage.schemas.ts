import { z } from 'zod'

const instant = z.iso.datetime({ offset: true }).or(z.iso.date())
const money = z.number().describe('at cost, in major units')

export const ShrinkageQuery = z
  .object({
    from: instant.optional().describe('start of the period (inclusive); defaults to 90 days ago'),
    to: instant.optional().describe('end of the period (exclusive); defaults to now'),
    location: z.string().min(1).max(64).optional().describe('only losses last seen inside this location'),
    sku: z.string().min(1).max(64).optional().describe('only this SKU'),
    period: z.enum(['day', 'week', 'month']).default('week').describe('the trend chart’s buckets'),
    limit: z.coerce.number().int().min(1).max(10_000).default(500).describe('most lost units listed'),
  })
  .strict()

const tally = { units: z.number(), quantity: z.number().describe('pieces of lot and quantity SKUs'), value: money }
export const ShrinkageView = z
  .object({
    from: z.string(),
    to: z.string(),
    period: z.enum(['day', 'week', 'month']),
    total: z.object({ ...tally, stockValue: money, share: z.number().describe('lost / (lost + stock value now)') }),
    byLocation: z.array(
      z.object({ location: z.string(), ...tally, events: z.number(), stockValue: money, share: z.number() }),
    ),
    bySku: z.array(z.object({ sku: z.string(), skuName: z.string(), ...tally })),
    trend: z.array(z.object({ period: z.string(), ...tally })),
    units: z.array(
      z.object({
        unitId: z.string(),
        serial: z.string(),
        sku: z.string(),
        status: z.string().describe('status now (found again: in_stock)'),
        lostAt: z.string(),
        lostBy: z.string(),
        reason: z.string().nullable(),
        document: z.string().nullable(),
        value: money,
        lastSeen: z
          .object({ at: z.string(), location: z.string().nullable(), type: z.string(), actor: z.string() })
          .nullable()
          .describe('the last event before the loss that placed the unit: when, where, what, who'),
      }),
    ),
  })
  .meta({ id: 'Shrinkage' })

export const CustodyStepView = z
  .object({
    actor: z.string(),
    location: z.string().nullable().describe('where the unit was (none: sold, lost, in transit)'),
    since: z.string(),
    until: z.string().nullable(),
    events: z.array(z.string()).describe('the event types of this stretch'),
  })
  .meta({ id: 'CustodyStep' })

export const ExceptionsQuery = z
  .object({
    days: z.coerce.number().int().min(0).max(3650).default(7).describe('in transit / not put away longer than'),
    threshold: z.coerce.number().min(0).max(1e12).default(1000).describe("a user's adjustments above (at cost)"),
    repeatedLosses: z.coerce.number().int().min(2).max(1000).default(2).describe('losses at one location, at least'),
    from: instant.optional().describe('start of the period; defaults to 30 days ago'),
    to: instant.optional().describe('end of the period; defaults to now'),
  })
  .strict()

export const StockExceptionView = z
  .object({
    kind: z.enum([
      'in_transit_too_long',
      'never_put_away',
      'sold_but_scanned',
      'adjustments_above_threshold',
      'repeated_losses',
    ]),
    reason: z.string(),
    location: z.string().nullable().describe('where a count task for it would go'),
    serial: z.string().nullable(),
    actor: z.string().nullable(),
    value: money.nullable(),
    at: z.string(),
  })
  .meta({ id: 'StockException' })

export type ShrinkageQuery = z.infer<typeof ShrinkageQuery>
export type ShrinkageView = z.infer<typeof ShrinkageView>
