import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { updateSku } from './catalog-edit.service.js'
import { CreateSkuRequest, SkuResponse, UpdateSkuRequest } from './catalog.schemas.js'
import { createSku, skuView } from './catalog.service.js'
import { editableReferenceRoutes } from './reference-data.routes.js'
import { getSkuByCode, listSkus } from './sku.repository.js'

export { HistoryResponse, RemovedResponse } from './reference-data.routes.js'

const SkuFilters = { tracking: z.enum(['serial', 'lot', 'quantity']).optional(), after: z.string().optional() }

/** SKUs: the products every operation names by code. */
export const catalogRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  editableReferenceRoutes(app, ctx, {
    path: '/skus',
    tag: 'catalog',
    kind: 'sku',
    one: 'a SKU',
    summaries: { create: 'Create a SKU', list: 'List SKUs', get: 'Get a SKU by code' },
    create: { body: CreateSkuRequest, run: async (body) => skuView(await createSku(ctx, body)) },
    list: { filters: SkuFilters, run: async (query) => (await listSkus(db, query)).map(skuView) },
    get: async (code) => skuView(await getSkuByCode(db, code)),
    item: SkuResponse,
    update: {
      summary: 'Edit a SKU (each change is recorded in its history; archived: true archives it)',
      body: UpdateSkuRequest,
      run: async (actor, code, body) => skuView(await updateSku(ctx, actor, code, body)),
    },
    record: (code) => getSkuByCode(db, code),
  })
}
