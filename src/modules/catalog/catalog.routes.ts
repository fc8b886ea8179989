import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { CodeParam, ListQuery, route } from '../../http/route-schemas.js'
import { CreateSkuRequest, SkuResponse } from './catalog.schemas.js'
import { createSku, skuView } from './catalog.service.js'
import { getSkuByCode, listSkus } from './sku.repository.js'

/** SKUs: the products every operation names by code. */
export const catalogRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  const tags = ['catalog']
  app.post(
    '/skus',
    route('catalog.write', { tags, summary: 'Create a SKU', body: CreateSkuRequest, response: { 201: SkuResponse } }),
    async (req, reply) => reply.code(201).send(skuView(await createSku(ctx, req.body))),
  )
  app.get(
    '/skus',
    route('stock.read', {
      tags,
      summary: 'List SKUs',
      querystring: ListQuery.extend({
        tracking: z.enum(['serial', 'lot', 'quantity']).optional(),
        after: z.string().optional(),
      }),
      response: { 200: z.array(SkuResponse) },
    }),
    async (req) => (await listSkus(db, req.query)).map(skuView),
  )
  app.get(
    '/skus/:code',
    route('stock.read', { tags, summary: 'Get a SKU by code', params: CodeParam, response: { 200: SkuResponse } }),
    async (req) => skuView(await getSkuByCode(db, req.params.code)),
  )
}
