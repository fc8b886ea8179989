import { staleReads } from '../../db/connect.js'
import type { ModuleRoutes } from '../../http/context.js'
import { route } from '../../http/route-schemas.js'
import { dashboard } from './dashboard.queries.js'
import { Dashboard, DashboardQuery, DisplaySettingsResponse } from './dashboard.schemas.js'

/**
 * Read-only aggregates for the web dashboard: stock value, units by status, receipts and sales per week, recent events.
 * Read on the replica when one is configured (READ_DATABASE_URL).
 */
export const reportRoutes: ModuleRoutes = (ctx) => async (app) => {
  app.get(
    '/reports/dashboard',
    route('stock.read', {
      tags: ['reports'],
      summary: 'Stock value, units by status, receipts and sales per week, recent activity',
      querystring: DashboardQuery,
      response: { 200: Dashboard },
    }),
    async (req) => dashboard(staleReads(ctx.db), ctx.clock.now(), req.query),
  )
  app.get(
    '/settings/display',
    route('authenticated', {
      tags: ['reports'],
      summary: 'How money is shown: the currency and locale the server is set to',
      response: { 200: DisplaySettingsResponse },
    }),
    async () => ctx.display,
  )
}
