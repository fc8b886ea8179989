import { z } from 'zod'
import { AppError } from '../../core/errors.js'
import type { ModuleRoutes } from '../../http/context.js'
import { route } from '../../http/route-schemas.js'
import { getSkuByCode } from '../catalog/index.js'
import { findLotId } from '../lots/index.js'
import { publicCheck } from './public-check.js'
import { findPolicy, findWarrantyUnit, warrantyLookup } from './warranty.queries.js'
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

/** Public checks one client may make per minute. */
export const PUBLIC_CHECKS_PER_MINUTE = 30

/** Warranty lookup by serial or scan, policies per SKU, terms per lot, and the public authenticity check. */
export const warrantyRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  const tags = ['warranty']
  app.get(
    '/warranty',
    route('stock.read', {
      tags,
      summary: "A unit's warranty by serial or scan: status, rule, start and end, supplier term, owner, claims",
      querystring: z.object({ code: z.string().trim().min(1).max(500), sku: z.string().max(64).optional() }).strict(),
      response: { 200: WarrantyLookup },
    }),
    async (req) =>
      warrantyLookup(db, await findWarrantyUnit(ctx.db, req.query.code, req.query.sku), ctx.clock.now().toISOString()),
  )
  app.get(
    '/warranty/policies/:sku',
    route('stock.read', {
      tags,
      summary: "A SKU's warranty policy (its default when it has none of its own)",
      params: SkuParam,
      response: { 200: WarrantyPolicyView },
    }),
    async (req) => {
      const sku = await getSkuByCode(db, req.params.sku)
      return { sku: sku.code, ...(await findPolicy(db, sku.id)) }
    },
  )
  app.put(
    '/warranty/policies/:sku',
    route('catalog.write', {
      tags,
      summary: "Set a SKU's warranty policy: term, start, coverage, terms by sale date, replacement rule, supplier",
      params: SkuParam,
      body: WarrantyPolicyRequest,
      response: { 200: WarrantyPolicyView },
    }),
    async (req) => {
      const sku = await getSkuByCode(db, req.params.sku)
      await savePolicy(db, sku.id, sku.warrantyMonths, req.body, ctx.clock.now().toISOString())
      return { sku: sku.code, ...(await findPolicy(db, sku.id)) }
    },
  )
  app.put(
    '/warranty/policies/:sku/lots/:lot',
    route('catalog.write', {
      tags,
      summary: "Set one lot's own warranty term (a promotion, a refurbished batch)",
      params: SkuLotParams,
      body: LotTermRequest,
      response: { 200: LotTermRequest },
    }),
    async (req) => {
      const sku = await getSkuByCode(db, req.params.sku)
      const lotId = await findLotId(db, sku.id, req.params.lot)
      if (!lotId) throw new AppError('warranty.invalid', `${sku.code} has no lot ${req.params.lot}`)
      const row = { lot_id: lotId, ...req.body, updated_at: ctx.clock.now().toISOString() }
      await db.deleteFrom('warranty_lot_term').where('lot_id', '=', lotId).execute()
      await db.insertInto('warranty_lot_term').values(row).execute()
      return req.body
    },
  )
  app.get(
    '/public/check/:token',
    {
      config: { policy: 'public', rateLimit: { max: PUBLIC_CHECKS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Public authenticity and warranty check of a unit by its label token; nothing personal',
        params: PublicCheckParams,
        response: { 200: PublicCheck },
      },
    },
    async (req) => publicCheck(db, req.params.token, req.ip, ctx.clock.now()),
  )
}

/** Writes a SKU's warranty policy (replacing the one it had). */
async function savePolicy(
  db: Parameters<typeof findPolicy>[0],
  skuId: string,
  skuMonths: number,
  p: WarrantyPolicyRequest,
  now: string,
) {
  const row = {
    sku_id: skuId,
    months: p.months ?? skuMonths,
    starts_at: p.startsAt,
    coverage: p.coverage ?? null,
    terms_by_sale_date: JSON.stringify(p.termsBySaleDate),
    replacement_rule: p.replacementRule,
    replacement_min_days: p.replacementMinDays,
    supplier_months: p.supplierMonths,
    supplier_starts_at: p.supplierStartsAt,
    public_check: p.publicCheck ? 1 : 0,
    updated_at: now,
  }
  await db.deleteFrom('warranty_policy').where('sku_id', '=', skuId).execute()
  await db.insertInto('warranty_policy').values(row).execute()
}
