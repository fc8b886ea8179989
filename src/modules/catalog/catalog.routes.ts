import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { referenceDataRoutes } from '../../http/reference-routes.js'
import { CreateSkuRequest, SkuResponse } from './catalog.schemas.js'
import { createSku, skuView } from './catalog.service.js'
import { getSkuByCode, listSkus } from './sku.repository.js'

const SkuFilters = { tracking: z.enum(['serial', 'lot', 'quantity']).optional(), after: z.string().optional() }

/** SKUs: the products every operation names by code. */
export const catalogRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  referenceDataRoutes(app, {
    path: '/skus',
    tag: 'catalog',
    summaries: { create: 'Create a SKU', list: 'List SKUs', get: 'Get a SKU by code' },
    create: { body: CreateSkuRequest, run: async (body) => skuView(await createSku(ctx, body)) },
    list: { filters: SkuFilters, run: async (query) => (await listSkus(db, query)).map(skuView) },
    get: async (code) => skuView(await getSkuByCode(db, code)),
    item: SkuResponse,
  })
}
