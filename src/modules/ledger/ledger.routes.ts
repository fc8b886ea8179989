import { z } from 'zod'
import { connect, type Db } from '../../db/connect.js'
import { moduleRoutes } from '../../http/context.js'
import { pageLimit } from '../../http/route-schemas.js'
import { listEvents } from './ledger.repository.js'
import { LedgerEvent, VerifyResult } from './ledger.schemas.js'
import { awaitSequenced } from './sequencer.js'
import { verifyLedger } from './verify.js'

/**
 * A SQLite file has one connection per process, and verify reads for as long as the ledger is big, so
 * it gets a connection of its own and the server keeps answering meanwhile.
 */
async function verifyOnOwnConnection(db: Db) {
  if (db.dialect !== 'sqlite' || db.url.endsWith(':memory:')) return verifyLedger(db)
  const own = connect(db.url)
  try {
    return await verifyLedger(own)
  } finally {
    await own.close()
  }
}

/** The ledger itself: its events in order, for integrators, and its verification, for auditors. */
export const ledgerRoutes = moduleRoutes('ledger', (app, { ctx, db, routeOf }) => {
  app.get(
    '/events',
    routeOf('stock.read', 'Ledger events in log order, for integrators (page with afterSeq: the last logPos read)', {
      querystring: z
        .object({
          afterSeq: z.coerce.number().int().min(0).default(0),
          limit: pageLimit,
        })
        .strict(),
      response: { 200: z.array(LedgerEvent) },
    }),
    async (req) => {
      await awaitSequenced(ctx.db)
      return listEvents(db, req.query.afterSeq, req.query.limit)
    },
  )
  app.get(
    '/ledger/verify',
    routeOf('ledger.audit', 'Re-compute the hash chain and compare projections with a replay', {
      response: { 200: VerifyResult },
    }),
    async () => verifyOnOwnConnection(ctx.db),
  )
})
