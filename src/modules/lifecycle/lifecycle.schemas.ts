import { z } from 'zod'
import { AGE_BASES } from './ageing.rules.js'
import { LIFECYCLE_STAGES } from './stage.rules.js'

export const AgeingQuery = z
  .object({
    by: z.enum(['sku', 'location', 'supplier']).default('sku').describe('group by SKU, location or supplier'),
    basis: z
      .enum(AGE_BASES)
      .default('receipt')
      .describe('age since receipt, since last back in stock (after a return or repair), or at the current location'),
    buckets: z.string().max(200).optional().describe('bucket upper bounds in days, e.g. 30,60,90,180 (the default)'),
    sku: z.string().max(64).optional().describe('only this SKU'),
    asOf: z.iso.datetime({ offset: true }).optional().describe('as of this instant (default now)'),
  })
  .strict()
export type AgeingQuery = z.infer<typeof AgeingQuery>

export const AgeingResponse = z
  .object({
    asOf: z.string(),
    basis: z.enum(AGE_BASES),
    by: z.enum(['sku', 'location', 'supplier']),
    buckets: z.array(z.string()).describe('bucket labels, e.g. 0-30'),
    rows: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        kind: z.enum(['unit', 'lot']).describe('unit: serial-tracked units; lot: quantity stock aged by lot'),
        counts: z.array(z.number()).describe('units (or quantity) per bucket'),
        values: z.array(z.number()).describe('value at cost per bucket'),
        units: z.number(),
        value: z.number(),
      }),
    ),
    totals: z.object({ counts: z.array(z.number()), values: z.array(z.number()) }),
  })
  .meta({ id: 'AgeingReport' })

export const StageResponse = z
  .object({
    sku: z.string(),
    stage: z.enum(LIFECYCLE_STAGES),
    reason: z.string(),
    since: z.string().nullable().describe('first week of the current stage'),
    peak: z.number(),
    current: z.number(),
    trend: z.number().describe('slope of the smoothed curve, share of the peak per week'),
    weeks: z.array(
      z.object({ week: z.string(), units: z.number(), smoothed: z.number(), stage: z.enum(LIFECYCLE_STAGES) }),
    ),
  })
  .meta({ id: 'LifecycleStage' })

export const UnitLifecycleRow = z
  .object({
    sku: z.string(),
    supplier: z.string(),
    received: z.number(),
    sold: z.number(),
    meanDaysToSale: z.number().nullable(),
    returns: z.number(),
    repairs: z.number(),
  })
  .meta({ id: 'UnitLifecycleRow' })

export const AdviceRow = z
  .object({
    code: z.string(),
    name: z.string(),
    tracking: z.enum(['serial', 'lot', 'quantity']),
    advice: z.enum(['serialise', 'stop_serialising', 'keep']),
    score: z.number(),
    returnRate: z.number(),
    shrinkRate: z.number(),
    claimRate: z.number(),
    reasons: z.array(z.string()),
  })
  .meta({ id: 'SerializationAdvice' })
