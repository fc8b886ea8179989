import { z } from 'zod'
import { principalOf } from '../../http/auth.js'
import type { ModuleRoutes } from '../../http/context.js'
import { referenceDataRoutes } from '../../http/reference-routes.js'
import { CodeParam, route } from '../../http/route-schemas.js'
import { listChanges } from './catalog-history.repository.js'
import { removeReferenceData, updateSku } from './catalog-edit.service.js'
import { ChangeResponse, CreateSkuRequest, SkuResponse, UpdateSkuRequest } from './catalog.schemas.js'
import { createSku, skuView } from './catalog.service.js'
import { getSkuByCode, listSkus } from './sku.repository.js'

/** What removing a SKU, location or party did: deleted (never referenced) or archived. */
export const RemovedResponse = z
  .object({ code: z.string(), outcome: z.enum(['deleted', 'archived']) })
  .meta({ id: 'RemovedReferenceData' })
export const HistoryResponse = z.array(ChangeResponse)

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
  const tags = ['catalog']
  app.patch(
    '/skus/:code',
    route('catalog.write', {
      tags,
      summary: 'Edit a SKU (each change is recorded in its history; archived: true archives it)',
      params: CodeParam,
      body: UpdateSkuRequest,
      response: { 200: SkuResponse },
    }),
    async (req) => skuView(await updateSku(ctx, principalOf(req).actor, req.params.code, req.body)),
  )
  app.delete(
    '/skus/:code',
    route('catalog.write', {
      tags,
      summary: 'Delete a SKU nothing references yet; a referenced one is archived instead',
      params: CodeParam,
      response: { 200: RemovedResponse },
    }),
    async (req) => removeReferenceData(ctx, principalOf(req).actor, 'sku', await getSkuByCode(db, req.params.code)),
  )
  app.get(
    '/skus/:code/history',
    route('stock.read', {
      tags,
      summary: "A SKU's history: every edit with actor, time, old and new value",
      params: CodeParam,
      response: { 200: HistoryResponse },
    }),
    async (req) => listChanges(db, 'sku', (await getSkuByCode(db, req.params.code)).id),
  )
}
