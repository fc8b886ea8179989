import { PassThrough } from 'node:stream'
import { moduleRoutes } from '../../http/context.js'
import { labelUnits, writeLabels } from './labels.service.js'
import { LabelsQuery } from './labels.schemas.js'

/** Labels for units: a receipt's or a selection's, as PDF or ZPL. */
export const labelRoutes = moduleRoutes('labels', (app, { ctx, routeOf }) => {
  app.get(
    '/labels',
    routeOf('stock.read', 'Labels (GS1 DataMatrix or Digital Link QR + text) for a receipt or serials, as PDF or ZPL', {
      querystring: LabelsQuery,
    }),
    async (req, reply) => {
      const db = ctx.db.kysely
      // Refuse an empty or unknown selection before the response starts.
      await labelUnits(db, req.query).next()
      const out = new PassThrough()
      const pdf = req.query.format === 'pdf'
      reply.type(pdf ? 'application/pdf' : 'text/plain; charset=utf-8')
      reply.header('content-disposition', `inline; filename="labels.${pdf ? 'pdf' : 'zpl'}"`)
      writeLabels(db, req.query, out).catch((e: unknown) => out.destroy(e as Error))
      return reply.send(out)
    },
  )
})
