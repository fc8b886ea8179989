import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Dashboard, DashboardQuery, dashboard } from '../modules/reports/dashboard.js'
import type { HttpContext } from './context.js'

/** Read-only aggregates for the web dashboard: stock value, units by status, receipts and sales per week, recent events. */
export function dashboardRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/dashboard',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['reports'],
          summary: 'Stock value, units by status, receipts and sales per week, recent activity',
          querystring: DashboardQuery,
          response: { 200: Dashboard },
        },
      },
      async (req) => dashboard(ctx.db.kysely, ctx.clock.now(), req.query),
    )
  }
}
