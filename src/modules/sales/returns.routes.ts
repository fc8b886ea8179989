import type { ModuleRoutes } from '../../http/context.js'
import { route } from '../../http/route-schemas.js'
import { returnFraudReport, verifyReturn } from './return.queries.js'
import { ReturnFraudQuery, ReturnFraudReport, ReturnRequest, ReturnVerification } from './sales.schemas.js'

/** Verified returns: the checks and fraud signals of a return before it is taken, and the fraud report. */
export const returnRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  const tags = ['returns']
  app.post(
    '/returns/verify',
    route('stock.read', {
      tags,
      summary: "Verify a return before taking it: each unit's checks (named reasons) and fraud signals; writes nothing",
      body: ReturnRequest,
      response: { 200: ReturnVerification },
    }),
    async (req) => verifyReturn(db, req.body, ctx.clock.now()),
  )
  app.get(
    '/reports/return-fraud',
    route('stock.read', {
      tags,
      summary: 'Returns accepted over a failed check (with the reason) and customers returning repeatedly',
      querystring: ReturnFraudQuery,
      response: { 200: ReturnFraudReport },
    }),
    async (req) => returnFraudReport(db, req.query.days, ctx.clock.now()),
  )
}
