import { staleReads } from '../../db/connect.js'
import { moduleRoutes } from '../../http/context.js'
import { dashboard } from './dashboard.queries.js'
import { Dashboard, DashboardQuery, DisplaySettingsResponse } from './dashboard.schemas.js'

/**
 * Read-only aggregates for the web dashboard: stock value, units by status, receipts and sales per week, recent events.
 * Read on the replica when one is configured (READ_DATABASE_URL).
 */
export const reportRoutes = moduleRoutes('reports', (app, { ctx, routeOf }) => {
  app.get(
    '/reports/dashboard',
    routeOf('stock.read', 'Stock value, units by status, receipts and sales per week, recent activity', {
      querystring: DashboardQuery,
      response: { 200: Dashboard },
    }),
    async (req) => dashboard(staleReads(ctx.db), ctx.clock.now(), req.query),
  )
  app.get(
    '/settings/display',
    routeOf('authenticated', 'How money is shown: the currency and locale the server is set to', {
      response: { 200: DisplaySettingsResponse },
    }),
    async () => ctx.display,
  )
})
