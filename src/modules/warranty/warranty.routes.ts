import { z } from 'zod'
import { moduleRoutes } from '../../http/context.js'
import { publicCheck } from './public-check.js'
import { findWarrantyUnit, warrantyLookup } from './warranty.queries.js'
import { policyView, saveLotTerm, savePolicy } from './warranty.service.js'
import {
  LotTermRequest,
  PublicCheck,
  PublicCheckParams,
  SkuLotParams,
  SkuParam,
  WarrantyLookup,
  WarrantyPolicyRequest,
  WarrantyPolicyView,
} from './warranty.schemas.js'

/** Public checks one client may make per minute (SERIAL_LEDGER_PUBLIC_CHECKS_PER_MINUTE overrides it). */
export const PUBLIC_CHECKS_PER_MINUTE = 30
const publicChecksPerMinute = () =>
  Number(process.env.SERIAL_LEDGER_PUBLIC_CHECKS_PER_MINUTE) || PUBLIC_CHECKS_PER_MINUTE

/** Warranty lookup by serial or scan, policies per SKU, terms per lot, and the public authenticity check. */
export const warrantyRoutes = moduleRoutes('warranty', (app, { ctx, db, routeOf }) => {
  app.get(
    '/warranty',
    routeOf(
      'stock.read',
      "A unit's warranty by serial or scan: status, rule, start and end, supplier term, owner, claims",
      {
        querystring: z.object({ code: z.string().trim().min(1).max(500), sku: z.string().max(64).optional() }).strict(),
        response: { 200: WarrantyLookup },
      },
    ),
    async (req) =>
      warrantyLookup(db, await findWarrantyUnit(ctx.db, req.query.code, req.query.sku), ctx.clock.now().toISOString()),
  )
  app.get(
    '/warranty/policies/:sku',
    routeOf('stock.read', "A SKU's warranty policy (its default when it has none of its own)", {
      params: SkuParam,
      response: { 200: WarrantyPolicyView },
    }),
    async (req) => policyView(db, req.params.sku),
  )
  app.put(
    '/warranty/policies/:sku',
    routeOf(
      'catalog.write',
      "Set a SKU's warranty policy: term, start, coverage, terms by sale date, replacement rule, supplier",
      { params: SkuParam, body: WarrantyPolicyRequest, response: { 200: WarrantyPolicyView } },
    ),
    async (req) => savePolicy(db, req.params.sku, req.body, ctx.clock.now()),
  )
  app.put(
    '/warranty/policies/:sku/lots/:lot',
    routeOf('catalog.write', "Set one lot's own warranty term (a promotion, a refurbished batch)", {
      params: SkuLotParams,
      body: LotTermRequest,
      response: { 200: LotTermRequest },
    }),
    async (req) => saveLotTerm(db, req.params.sku, req.params.lot, req.body, ctx.clock.now()),
  )
  app.get(
    '/public/check/:token',
    {
      config: { policy: 'public', rateLimit: { max: publicChecksPerMinute(), timeWindow: '1 minute' } },
      schema: {
        tags: ['warranty'],
        summary: 'Public authenticity and warranty check of a unit by its label token; nothing personal',
        params: PublicCheckParams,
        response: { 200: PublicCheck },
      },
    },
    async (req) => publicCheck(db, req.params.token, req.ip, ctx.clock.now()),
  )
})
