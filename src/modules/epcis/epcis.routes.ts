import { Readable } from 'node:stream'
import { staleReads } from '../../db/connect.js'
import { commandOptions, moduleRoutes } from '../../http/context.js'
import { captureEpcis } from './epcis-capture.js'
import { exportEpcis } from './epcis-export.js'
import { CaptureResultSchema, EPCIS_BODY_LIMIT, EpcisDocumentBody, EpcisExportQuery } from './epcis.schemas.js'
import { awaitSequenced } from '../ledger/index.js'

/** EPCIS 2.0: the ledger exported as a streamed JSON-LD document, and documents captured into it. */
export const epcisRoutes = moduleRoutes('epcis', (app, { ctx, routeOf }) => {
  app.get(
    '/epcis/events',
    routeOf('ledger.audit', 'A slice of the ledger as an EPCIS 2.0 JSON-LD document (streamed)', {
      querystring: EpcisExportQuery,
    }),
    async (req, reply) => {
      reply.type('application/ld+json; charset=utf-8')
      // An export may lag: on the replica when one is configured (READ_DATABASE_URL).
      await awaitSequenced(ctx.db)
      return reply.send(Readable.from(exportEpcis(staleReads(ctx.db), req.query, ctx.clock.now().toISOString())))
    },
  )
  app.post(
    '/epcis/capture',
    {
      ...routeOf('stock.adjust', 'Capture an EPCIS 2.0 document: every event becomes a ledger event, all or nothing', {
        body: EpcisDocumentBody,
        response: { 201: CaptureResultSchema },
      }),
      bodyLimit: EPCIS_BODY_LIMIT,
    },
    async (req, reply) => {
      const { actor } = await commandOptions(ctx, req)
      return reply.code(201).send(await captureEpcis(ctx, actor, req.body))
    },
  )
})
