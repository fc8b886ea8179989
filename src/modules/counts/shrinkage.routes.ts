import { z } from 'zod'
import { moduleRoutes } from '../../http/context.js'
import { staleReads } from '../../db/connect.js'
import { IdParam, sendCsv } from '../../http/route-schemas.js'
import { toMinor } from '../../core/money.js'
import { getUnit } from '../units/index.js'
import { custodyOf, shrinkageReport, stockExceptions } from './shrinkage.queries.js'
import {
  CustodyStepView,
  ExceptionsQuery,
  ShrinkageQuery,
  ShrinkageView,
  StockExceptionView,
} from './shrinkage.schemas.js'
import { exceptionView, periodBounds, shrinkageCsv, shrinkageView } from './shrinkage.views.js'

/** Theft protection's reports: shrinkage (JSON or CSV), a unit's custody chain, the exceptions list. */
export const shrinkageRoutes = moduleRoutes('shrinkage', (app, { ctx, db, routeOf }) => {
  const report = async (q: ShrinkageQuery) => {
    const bounds = periodBounds(q, ctx.clock.now(), 90)
    return { bounds, r: await shrinkageReport(staleReads(ctx.db), { ...q, ...bounds }) }
  }
  app.get(
    '/reports/shrinkage',
    routeOf(
      'stock.read',
      'Shrinkage by location, SKU and period, as a share of stock value, with each lost unit’s last sighting',
      {
        querystring: ShrinkageQuery,
        response: { 200: ShrinkageView },
      },
    ),
    async (req) => {
      const { bounds, r } = await report(req.query)
      return shrinkageView(r, { ...bounds, period: req.query.period }, req.query.limit)
    },
  )
  app.get(
    '/reports/shrinkage.csv',
    routeOf('stock.read', 'The lost units of the shrinkage report as CSV', {
      querystring: ShrinkageQuery,
    }),
    async (req, reply) => sendCsv(reply, shrinkageCsv((await report(req.query)).r)),
  )
  app.get(
    '/units/:id/custody',
    routeOf('stock.read', "A unit's custody chain: every actor and location in ledger order", {
      params: IdParam,
      response: { 200: z.array(CustodyStepView) },
    }),
    async (req) => {
      await getUnit(db, req.params.id)
      return custodyOf(db, req.params.id)
    },
  )
  app.get(
    '/exceptions',
    routeOf(
      'stock.read',
      'Exceptions worth a look (long transits, never put away, sold but scanned, large adjustments…)',
      {
        querystring: ExceptionsQuery,
        response: { 200: z.array(StockExceptionView) },
      },
    ),
    async (req) => {
      const q = req.query
      const now = ctx.clock.now()
      const bounds = periodBounds(q, now, 30)
      const found = await stockExceptions(db, {
        now,
        days: q.days,
        thresholdMinor: toMinor(q.threshold),
        repeatedLosses: q.repeatedLosses,
        ...bounds,
      })
      return found.map(exceptionView)
    },
  )
})
