import { moduleRoutes } from '../../http/context.js'
import { returnFraudReport, verifyReturn } from './return.queries.js'
import { ReturnFraudQuery, ReturnFraudReport, ReturnRequest, ReturnVerification } from './sales.schemas.js'

/** Verified returns: the checks and fraud signals of a return before it is taken, and the fraud report. */
export const returnRoutes = moduleRoutes('returns', (app, { ctx, db, routeOf }) => {
  app.post(
    '/returns/verify',
    routeOf(
      'stock.read',
      "Verify a return before taking it: each unit's checks (named reasons) and fraud signals; writes nothing",
      { body: ReturnRequest, response: { 200: ReturnVerification } },
    ),
    async (req) => verifyReturn(db, req.body, ctx.clock.now()),
  )
  app.get(
    '/reports/return-fraud',
    routeOf('stock.read', 'Returns accepted over a failed check (with the reason) and customers returning repeatedly', {
      querystring: ReturnFraudQuery,
      response: { 200: ReturnFraudReport },
    }),
    async (req) => returnFraudReport(db, req.query.days, ctx.clock.now()),
  )
})
