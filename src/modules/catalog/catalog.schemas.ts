import { z } from 'zod'
import { excessDecimals, MINOR_UNIT_DIGITS } from '../../core/money.js'
import { SERIAL_CASES, TRACKING_MODES } from './sku.rules.js'

export const code = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} code is empty`)
    .max(64)
    // Codes end up in URLs, CSV and HTML: quotes, angle brackets and backticks are never part of a real
    // code and only ever help an injection, so they are refused along with spaces and non-ASCII.
    .regex(/^[\x21-\x7e]+$/, `${what} code must be printable ASCII without spaces`)
    .regex(/^[^"'`<>]+$/, `${what} code must not contain quotes or angle brackets`)
    .describe(`${what} code (unique, printable ASCII without spaces, quotes or angle brackets)`)

/** The fields every piece of reference data answers with first (SKUs, locations, parties). */
export const referenceFields = { id: z.string(), code: z.string(), name: z.string() }

/**
 * An amount of money in major units, with no more decimals than the currency has: 19.999 is refused,
 * never rounded to 20.00.
 */
export const money = (what: string) =>
  z
    .number()
    .nonnegative()
    .max(1e12)
    .superRefine((amount, ctx) => {
      const excess = excessDecimals(amount)
      if (excess) ctx.addIssue({ code: 'custom', message: excess })
    })
    .describe(`${what} in major currency units (e.g. 199.99), at most ${MINOR_UNIT_DIGITS} decimals`)

export const IdentifierRuleSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,31}$/, 'identifier names are lower-case letters, digits and _')
      .describe('identifier name, e.g. imei'),
    isUnique: z.boolean().default(false).describe('whether no two units may share a value'),
    pattern: z.string().max(200).optional().describe('optional regular expression every value must match'),
  })
  .strict()
  .meta({ id: 'IdentifierRule' })

const skuGroup = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'SKU group must be printable ASCII without spaces')
  .describe('SKU group (its markdown policy: rules and cap)')

const weeks = (what: string, min: number, max: number) => z.number().int().min(min).max(max).optional().describe(what)

/** A SKU's own life-cycle thresholds and ageing buckets; each is validated on its own, with its field. */
export const SkuLifecycleSettings = z
  .object({
    stage: z
      .object({
        minWeeks: weeks('weeks of sales history the stage needs (default 4)', 1, 104),
        minUnits: z.number().int().min(1).max(1_000_000).optional().describe('units sold the stage needs (default 8)'),
        trendWeeks: weeks('weeks the trend is measured over; the peak must be this old for decline (default 6)', 2, 52),
        growthSlope: z
          .number()
          .gt(0)
          .max(1)
          .optional()
          .describe('growth: weekly trend of at least this share of the peak (default 0.05)'),
        declineSlope: z
          .number()
          .min(-1)
          .max(0)
          .optional()
          .describe('decline: weekly trend at most this share of the peak (default 0, not rising)'),
        peakShare: z
          .number()
          .gt(0)
          .max(1)
          .optional()
          .describe('decline: current sales at most this share of the peak (default 0.7)'),
        youngWeeks: weeks('introduction: at most this many weeks on sale (default 12)', 1, 520),
      })
      .strict()
      .optional()
      .describe('life-cycle stage thresholds; those left out are the defaults'),
    ageingBuckets: z
      .array(z.number().int().min(1).max(36500))
      .min(1)
      .max(12)
      .optional()
      .superRefine((bounds, ctx) => {
        bounds?.forEach((b, i) => {
          if (i > 0 && b <= bounds[i - 1]!)
            ctx.addIssue({ code: 'custom', path: [i], message: `${b} must be greater than ${bounds[i - 1]}` })
        })
      })
      .describe('ageing bucket upper bounds in days, rising, e.g. [7, 14, 30] (default 30, 60, 90, 180)'),
  })
  .strict()
  .meta({ id: 'SkuLifecycleSettings' })

export const CreateSkuRequest = z
  .object({
    code: code('SKU'),
    name: z.string().trim().min(1).max(200).describe('product name'),
    gtin: z.string().trim().optional().describe('GTIN-8/12/13/14; the check digit is validated'),
    tracking: z
      .enum(TRACKING_MODES)
      .describe('serial: one unit per serial; lot: quantities per lot; quantity: quantities only'),
    cost: money('standard unit cost').default(0),
    price: money('list price').default(0),
    warrantyMonths: z.number().int().min(0).max(600).default(0).describe('warranty length in months'),
    returnWindowDays: z.number().int().min(0).max(3650).default(30).describe('days after sale a return is accepted'),
    serialPattern: z
      .string()
      .max(200)
      .optional()
      .describe('regular expression a serial must match in full (after normalisation)'),
    serialExample: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('a serial that matches serialPattern, shown with the format when a serial is refused'),
    serialCase: z.enum(SERIAL_CASES).default('upper').describe('how serials are normalised: upper, lower or preserve'),
    allowNegative: z.boolean().default(false).describe('allow quantity stock to go below zero'),
    identifiers: z.array(IdentifierRuleSchema).max(8).default([]).describe('extra identifiers units carry, e.g. IMEI'),
    serialsUniqueAcrossSkus: z
      .boolean()
      .default(false)
      .describe('refuse a serial that a unit of any other SKU already has (one serial, one device)'),
    skuGroup: skuGroup.optional(),
    belowCostAllowed: z.boolean().default(false).describe('allow markdowns to take a unit below its cost'),
  })
  .strict()
  .meta({ id: 'CreateSkuRequest' })
export type CreateSkuRequest = z.input<typeof CreateSkuRequest>

export const SkuResponse = z
  .object({
    ...referenceFields,
    gtin: z.string().nullable(),
    tracking: z.enum(TRACKING_MODES),
    cost: z.number(),
    price: z.number(),
    warrantyMonths: z.number(),
    returnWindowDays: z.number(),
    serialPattern: z.string().nullable(),
    serialExample: z.string().nullable().describe('an example serial of the format'),
    serialFormat: z.string().nullable().describe('the serial format in words, with an example'),
    serialCase: z.enum(SERIAL_CASES),
    allowNegative: z.boolean(),
    identifiers: z.array(z.object({ name: z.string(), isUnique: z.boolean(), pattern: z.string().optional() })),
    serialsUniqueAcrossSkus: z.boolean(),
    skuGroup: z.string().nullable().optional().describe('SKU group whose markdown policy applies'),
    belowCostAllowed: z.boolean().optional().describe('whether markdowns may go below cost'),
    archivedAt: z.string().nullable().optional().describe('when the SKU was archived (refused in new receipts)'),
    lifecycle: SkuLifecycleSettings.nullable().optional().describe('the SKU’s own life-cycle and ageing settings'),
  })
  .meta({ id: 'Sku' })
export type SkuResponse = z.infer<typeof SkuResponse>

/**
 * An edit of a SKU: every field optional, only those given change. Tracking and code never change; a new
 * serial rule is accepted only when every existing unit of the SKU still satisfies it.
 */
export const UpdateSkuRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional().describe('product name'),
    gtin: z.string().trim().nullable().optional().describe('GTIN-8/12/13/14; null removes it'),
    cost: money('standard unit cost').optional(),
    price: money('list price').optional(),
    warrantyMonths: z.number().int().min(0).max(600).optional().describe('warranty length in months'),
    returnWindowDays: z.number().int().min(0).max(3650).optional().describe('days after sale a return is accepted'),
    serialPattern: z.string().max(200).nullable().optional().describe('new serial rule; null removes it'),
    serialExample: z.string().trim().min(1).max(64).nullable().optional().describe('example of the serial rule'),
    skuGroup: skuGroup.nullable().optional(),
    belowCostAllowed: z.boolean().optional().describe('allow markdowns to take a unit below its cost'),
    archived: z.boolean().optional().describe('true archives the SKU (refused in new receipts), false restores it'),
    lifecycle: SkuLifecycleSettings.nullable()
      .optional()
      .describe('the SKU’s own life-cycle thresholds and ageing buckets, replaced whole; null: the defaults'),
  })
  .strict()
  .meta({ id: 'UpdateSkuRequest' })
export type UpdateSkuRequest = z.input<typeof UpdateSkuRequest>

/** One changed field of a SKU, location, party or markdown policy. */
export const ChangeResponse = z
  .object({
    field: z.string(),
    old: z.unknown().describe('value before (JSON)'),
    new: z.unknown().describe('value after (JSON)'),
    actor: z.string(),
    changedAt: z.string(),
  })
  .meta({ id: 'CatalogChange' })
