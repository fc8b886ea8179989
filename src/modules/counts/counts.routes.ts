import { z } from 'zod'
import { AppError } from '../../core/errors.js'
import { moduleRoutes } from '../../http/context.js'
import { principalOf } from '../../http/auth.js'
import { sendCsv } from '../../http/route-schemas.js'
import { isAllowed } from '../accounts/index.js'
import { countTally, getCount, reconcile } from './counts.queries.js'
import {
  CountNumberParams,
  CountSummary,
  CountTally,
  ListCountsQuery,
  ReconciliationQuery,
  ReconciliationView,
} from './counts.schemas.js'
import type { CountFact } from './counts.rules.js'
import { countSummary, listCounts, reconciliationCsv, reconciliationView } from './counts.views.js'
import type { FastifyRequest } from 'fastify'

/** A blind count keeps what is expected from counters, on the API too: only a manager sees it before the close. */
function refuseBlind(req: FastifyRequest, count: CountFact): void {
  const p = principalOf(req)
  if (count.isBlind && count.status === 'open' && !isAllowed(p, 'stock.adjust'))
    throw new AppError(
      'count.blind',
      `count ${count.number} is blind: ${p.username} (${p.role}) may see its scans, not what is expected`,
    )
}

/** The read side of counts: the list, a count's live tally and its reconciliation (JSON or CSV). */
export const countRoutes = moduleRoutes('counts', (app, { db, routeOf }) => {
  app.get(
    '/counts',
    routeOf('stock.read', 'Cycle counts, newest first', {
      querystring: ListCountsQuery,
      response: { 200: z.array(CountSummary) },
    }),
    async (req) => listCounts(db, req.query),
  )
  app.get(
    '/counts/:number',
    routeOf('stock.read', "A count's live tally: scans per location and the latest scans (never what is expected)", {
      params: CountNumberParams,
      response: { 200: CountTally },
    }),
    async (req) => {
      const count = await getCount(db, req.params.number)
      const tally = await countTally(db, count)
      const scans = tally.perLocation.reduce((n, l) => n + l.scans, 0)
      return { count: await countSummary(db, count.id), scans, ...tally }
    },
  )
  app.get(
    '/counts/:number/reconciliation',
    routeOf('stock.read', 'Found, missing, misplaced, in another status, unknown, and quantity variances, at cost', {
      params: CountNumberParams,
      querystring: ReconciliationQuery,
      response: { 200: ReconciliationView },
    }),
    async (req) => {
      const count = await getCount(db, req.params.number)
      refuseBlind(req, count)
      return reconciliationView(await reconcile(db, count), await countSummary(db, count.id), req.query.limit)
    },
  )
  app.get(
    '/counts/:number/export',
    routeOf('stock.read', "A count's reconciliation as CSV, every item", {
      params: CountNumberParams,
    }),
    async (req, reply) => {
      const count = await getCount(db, req.params.number)
      refuseBlind(req, count)
      return sendCsv(reply, reconciliationCsv(await reconcile(db, count)))
    },
  )
})
