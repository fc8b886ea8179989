import { z } from 'zod'
import { staleReads } from '../../db/connect.js'
import { moduleRoutes } from '../../http/context.js'
import { stockOnHand } from './stock.queries.js'
import { StockQuery, StockRow } from './stock.schemas.js'

/** Stock on hand: serial and quantity stock in one list. */
export const stockRoutes = moduleRoutes('stock', (app, { ctx, routeOf }) => {
  // A report: on the replica when one is configured (READ_DATABASE_URL).
  const db = staleReads(ctx.db)
  app.get(
    '/stock',
    routeOf('stock.read', 'Stock on hand per SKU, location and lot (serial and quantity stock together)', {
      querystring: StockQuery,
      response: { 200: z.array(StockRow) },
    }),
    async (req) => stockOnHand(db, req.query),
  )
})
