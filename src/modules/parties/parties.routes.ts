import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { CodeParam, ListQuery } from '../../http/route-schemas.js'
import { createParty, getPartyByCode, listParties } from './parties.repository.js'
import { CreatePartyRequest, PartyResponse } from './parties.schemas.js'

/** Suppliers and customers. */
export const partyRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  const tags = ['parties']
  app.post(
    '/parties',
    {
      config: { policy: 'catalog.write' },
      schema: {
        tags,
        summary: 'Create a supplier or customer',
        body: CreatePartyRequest,
        response: { 201: PartyResponse },
      },
    },
    async (req, reply) => reply.code(201).send(await createParty(ctx, req.body)),
  )
  app.get(
    '/parties',
    {
      config: { policy: 'stock.read' },
      schema: {
        tags,
        summary: 'List parties',
        querystring: ListQuery.extend({ role: z.enum(['supplier', 'customer']).optional() }),
        response: { 200: z.array(PartyResponse) },
      },
    },
    async (req) => listParties(db, req.query),
  )
  app.get(
    '/parties/:code',
    {
      config: { policy: 'stock.read' },
      schema: { tags, summary: 'Get a party', params: CodeParam, response: { 200: PartyResponse } },
    },
    async (req) => getPartyByCode(db, req.params.code),
  )
}
