import { z } from 'zod'
import { principalOf } from '../../http/auth.js'
import { moduleRoutes } from '../../http/context.js'
import { IdParam, sendCsv } from '../../http/route-schemas.js'
import { HistoryResponse, listChanges } from '../catalog/index.js'
import { getPolicy, listPolicies, putPolicy } from './policies.repository.js'
import { discountShare, unitPricing } from './pricing.queries.js'
import {
  MarkdownPolicyRequest,
  MarkdownPolicyResponse,
  RecommendationsResponse,
  UnitPricingResponse,
} from './pricing.schemas.js'
import { recommendations } from './recommendations.queries.js'
import { recommendationsCsv } from './pricing.views.js'

const GroupParam = z.object({ group: z.string().min(1).max(64) })
export const RecommendationsQuery = z
  .object({
    sku: z.string().max(64).optional().describe('only this SKU'),
    asOf: z.iso.datetime({ offset: true }).optional().describe('as of this instant (default now)'),
  })
  .strict()
export const DiscountShareRow = z
  .object({ sku: z.string(), store: z.string(), sold: z.number(), discounted: z.number(), share: z.number() })
  .meta({ id: 'DiscountShare' })

/** Markdown policies, recommendations, a unit's price and age, and the share sold at a discount. */
export const pricingRoutes = moduleRoutes('pricing', (app, { ctx, db, routeOf }) => {
  app.get(
    '/markdown-policies',
    routeOf('stock.read', 'Every SKU group’s markdown rules and cap', {
      response: { 200: z.array(MarkdownPolicyResponse) },
    }),
    async () => listPolicies(db),
  )
  app.put(
    '/markdown-policies/:group',
    routeOf('price.override', 'Set a SKU group’s markdown rules and cap (recorded in its history)', {
      params: GroupParam,
      body: MarkdownPolicyRequest,
      response: { 200: MarkdownPolicyResponse },
    }),
    async (req) => putPolicy(ctx, principalOf(req).actor, req.params.group, req.body),
  )
  app.get(
    '/markdown-policies/:group/history',
    routeOf('stock.read', 'Every change of a SKU group’s markdown policy', {
      params: GroupParam,
      response: { 200: HistoryResponse },
    }),
    async (req) => listChanges(db, 'markdown_policy', (await getPolicy(db, req.params.group)).skuGroup),
  )
  const recommend = (q: z.infer<typeof RecommendationsQuery>) =>
    recommendations(db, { asOf: q.asOf ? new Date(q.asOf) : ctx.clock.now(), sku: q.sku })
  app.get(
    '/markdowns/recommendations',
    routeOf(
      'stock.read',
      'Markdown and price-rise recommendations: units, current and suggested price, value at stake',
      { querystring: RecommendationsQuery, response: { 200: RecommendationsResponse } },
    ),
    async (req) => recommend(req.query),
  )
  app.get(
    '/markdowns/recommendations.csv',
    routeOf('stock.read', 'The recommendations as CSV', { querystring: RecommendationsQuery }),
    async (req, reply) => sendCsv(reply, recommendationsCsv((await recommend(req.query)).lines)),
  )
  app.get(
    '/units/:id/pricing',
    routeOf(
      'stock.read',
      'A unit’s current price, price history and ages (since receipt, back in stock, at its location)',
      { params: IdParam, response: { 200: UnitPricingResponse } },
    ),
    async (req) => unitPricing(db, req.params.id, ctx.clock.now()),
  )
  app.get(
    '/reports/discount-share',
    routeOf('stock.read', 'Share of units sold below the list price, per SKU and store', {
      response: { 200: z.array(DiscountShareRow) },
    }),
    async () => discountShare(db),
  )
})
