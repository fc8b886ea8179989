import { z } from 'zod'
import { moduleRoutes } from '../../http/context.js'
import { staleReads } from '../../db/connect.js'
import { CodeParam, sendCsv } from '../../http/route-schemas.js'
import { getSkuByCode } from '../catalog/index.js'
import { skuStages } from './lifecycle.queries.js'
import { AdviceRow, AgeingQuery, AgeingResponse, StageResponse, UnitLifecycleRow } from './lifecycle.schemas.js'
import {
  advisorCsv,
  advisorView,
  ageingCsv,
  ageingView,
  unitLifecycleCsv,
  unitLifecycleView,
} from './lifecycle.views.js'

const SkuQuery = z.object({ sku: z.string().max(64).optional().describe('only this SKU') }).strict()

/** Unit ageing, SKU life-cycle stages, the unit life-cycle report and the serialization advisor. */
export const lifecycleRoutes = moduleRoutes('lifecycle', (app, { ctx, db, routeOf }) => {
  // Reports need not be fresh: a read replica (READ_DATABASE_URL) answers them when there is one.
  const reports = staleReads(ctx.db)
  app.get(
    '/reports/ageing',
    routeOf('stock.read', 'Stock ageing: units and value at cost per age bucket, by SKU, location or supplier', {
      querystring: AgeingQuery,
      response: { 200: AgeingResponse },
    }),
    async (req) => ageingView(reports, req.query, ctx.clock.now()),
  )
  app.get(
    '/reports/ageing.csv',
    routeOf('stock.read', 'The ageing report as CSV', { querystring: AgeingQuery }),
    async (req, reply) => sendCsv(reply, await ageingCsv(reports, req.query, ctx.clock.now())),
  )
  app.get(
    '/skus/:code/lifecycle',
    routeOf(
      'stock.read',
      'A SKU’s life-cycle stage with its evidence: the weekly sales curve, the stage and since when',
      { params: CodeParam, response: { 200: StageResponse } },
    ),
    async (req) => {
      const sku = await getSkuByCode(db, req.params.code)
      return { sku: sku.code, ...(await skuStages(db, ctx.clock.now(), [sku.id])).get(sku.id)! }
    },
  )
  app.get(
    '/reports/lifecycle',
    routeOf('stock.read', 'Unit life-cycle by SKU and supplier: receipt-to-sale time, returns, repairs', {
      querystring: SkuQuery,
      response: { 200: z.array(UnitLifecycleRow) },
    }),
    async (req) => unitLifecycleView(reports, req.query.sku),
  )
  app.get(
    '/reports/lifecycle.csv',
    routeOf('stock.read', 'The unit life-cycle report as CSV', { querystring: SkuQuery }),
    async (req, reply) => sendCsv(reply, await unitLifecycleCsv(reports, req.query.sku)),
  )
  app.get(
    '/reports/advisor',
    routeOf('stock.read', 'Serialization advisor: which SKUs to serialise or stop serialising, with reasons', {
      response: { 200: z.array(AdviceRow) },
    }),
    async () => advisorView(db),
  )
  app.get('/reports/advisor.csv', routeOf('stock.read', 'The serialization advisor as CSV', {}), async (_req, reply) =>
    sendCsv(reply, await advisorCsv(db)),
  )
})
