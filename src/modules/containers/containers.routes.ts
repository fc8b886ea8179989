import { z } from 'zod'
import { moduleRoutes } from '../../http/context.js'
import { getContainerView } from './containers.queries.js'
import { ContainerView } from './containers.schemas.js'

/** The read side of containers: one container with its (nested) contents. */
export const containerRoutes = moduleRoutes('containers', (app, { db, routeOf }) => {
  app.get(
    '/containers/:code',
    routeOf('stock.read', 'A container (SSCC or our code) with its units and nested containers', {
      params: z.object({ code: z.string().min(1).max(64) }).strict(),
      response: { 200: ContainerView },
    }),
    async (req) => getContainerView(db, req.params.code),
  )
})
