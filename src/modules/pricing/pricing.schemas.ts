import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import { LIFECYCLE_STAGES } from '../lifecycle/stage.rules.js'
import { number, price, readScan, serial, unitRefObject, when } from '../operations/operations.schemas.js'
import { MARKDOWN_ACTIONS } from './markdown.rules.js'

const note = z.string().trim().min(1).max(500).optional().describe('why the price changes (kept in the event)')

export const ChangePriceRequest = z
  .object({
    number,
    note,
    changedAt: when('of the price change'),
    units: z
      .array(
        // {serial, sku?, price} or {scan, price}: a raw scan is read by the one GS1 parser, as in every operation.
        z.preprocess(
          readScan,
          unitRefObject({ price: price.describe('the unit’s new price in major currency units') }),
        ),
      )
      .max(200_000)
      .default([])
      .describe('units and their new prices'),
    quantities: z
      .array(
        z
          .object({
            sku: code('SKU'),
            lot: z.string().trim().min(1).max(64).optional().describe('lot code (required for lot-tracked SKUs)'),
            location: code('location').describe('where the stock is'),
            price: price.describe('the new price of that stock'),
          })
          .strict()
          .meta({ id: 'StockPrice' }),
      )
      .max(1000)
      .default([])
      .describe('lot or quantity stock at a location and its new price'),
  })
  .strict()
  .meta({ id: 'ChangePriceRequest' })
export type ChangePriceRequest = z.output<typeof ChangePriceRequest>

export const ApplyMarkdownsRequest = z
  .object({
    action: z.enum(MARKDOWN_ACTIONS).default('discount').describe('apply the discounts (default) or the rises'),
    skus: z.array(code('SKU')).max(1000).default([]).describe('apply every recommendation of these SKUs'),
    serials: z.array(serial).max(200_000).default([]).describe('apply the recommendations of these units'),
    note,
  })
  .strict()
  .meta({ id: 'ApplyMarkdownsRequest' })
export type ApplyMarkdownsRequest = z.output<typeof ApplyMarkdownsRequest>

export const MarkdownRuleSchema = z
  .object({
    stage: z.enum(LIFECYCLE_STAGES).optional().describe('applies only in this life-cycle stage'),
    minAgeDays: z
      .number()
      .int()
      .min(0)
      .max(36500)
      .optional()
      .describe('applies to units at least this many days in stock'),
    maxCoverWeeks: z
      .number()
      .positive()
      .max(520)
      .optional()
      .describe('applies while stock covers fewer weeks of sales'),
    action: z.enum(MARKDOWN_ACTIONS),
    percent: z.number().positive().max(95).describe('% of the list price off (discount) or on top (raise)'),
  })
  .strict()
  .meta({ id: 'MarkdownRule' })

export const MarkdownPolicyRequest = z
  .object({
    rules: z.array(MarkdownRuleSchema).max(50).describe('tried in order; the first that matches a unit applies'),
    periodDays: z.number().int().min(1).max(3650).default(30).describe('the cap’s period in days'),
    maxMarkdowns: z.number().int().min(0).max(100).default(2).describe('markdowns per unit in that period, at most'),
    maxDepthPct: z.number().int().min(0).max(95).default(40).describe('never more than this % below the list price'),
  })
  .strict()
  .meta({ id: 'MarkdownPolicyRequest' })
export type MarkdownPolicyRequest = z.input<typeof MarkdownPolicyRequest>

export const MarkdownPolicyResponse = z
  .object({
    skuGroup: z.string(),
    rules: z.array(MarkdownRuleSchema),
    cap: z.object({ periodDays: z.number(), maxMarkdowns: z.number(), maxDepthPct: z.number() }),
  })
  .meta({ id: 'MarkdownPolicy' })

export const RecommendationLine = z
  .object({
    sku: z.string(),
    skuName: z.string(),
    skuGroup: z.string(),
    stage: z.enum(LIFECYCLE_STAGES),
    action: z.enum(MARKDOWN_ACTIONS),
    currentPrice: z.number(),
    suggestedPrice: z.number(),
    units: z.number().describe('units this line covers'),
    valueAtStake: z.number().describe('(suggested − current) × units, in major units: negative for markdowns'),
    reason: z.string(),
    serials: z.array(z.string()).describe('the units (up to 100)'),
  })
  .meta({ id: 'MarkdownRecommendation' })

export const RecommendationsResponse = z
  .object({
    asOf: z.string(),
    lines: z.array(RecommendationLine),
    capped: z
      .array(z.object({ sku: z.string(), units: z.number(), reason: z.string() }))
      .describe('units a rule matched that the group cap keeps from a markdown now'),
  })
  .meta({ id: 'MarkdownRecommendations' })
export type RecommendationsResponse = z.infer<typeof RecommendationsResponse>

export const UnitPricingResponse = z
  .object({
    serial: z.string(),
    sku: z.string(),
    status: z.string(),
    listPrice: z.number().describe('the SKU’s list price'),
    currentPrice: z.number().describe('the unit’s own price (its latest price change, else the list price)'),
    cost: z.number().nullable(),
    ages: z.object({
      receivedAt: z.string(),
      backInStockAt: z.string().nullable(),
      locatedAt: z.string(),
      daysSinceReceipt: z.number(),
      daysSinceBackInStock: z.number(),
      daysAtLocation: z.number(),
    }),
    history: z.array(
      z.object({
        at: z.string(),
        type: z.string(),
        price: z.number().nullable(),
        reason: z.string().nullable(),
        actor: z.string(),
        number: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'UnitPricing' })
