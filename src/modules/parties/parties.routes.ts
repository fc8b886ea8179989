import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { CodeParam, ListQuery, route } from '../../http/route-schemas.js'
import { createParty, getPartyByCode, listParties } from './parties.repository.js'
import { CreatePartyRequest, PartyResponse } from './parties.schemas.js'

/** Suppliers and customers. */
export const partyRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  const tags = ['parties']
  app.post(
    '/parties',
    route('catalog.write', {
      tags,
      summary: 'Create a supplier or customer',
      body: CreatePartyRequest,
      response: { 201: PartyResponse },
    }),
    async (req, reply) => reply.code(201).send(await createParty(ctx, req.body)),
  )
  app.get(
    '/parties',
    route('stock.read', {
      tags,
      summary: 'List parties',
      querystring: ListQuery.extend({ role: z.enum(['supplier', 'customer']).optional() }),
      response: { 200: z.array(PartyResponse) },
    }),
    async (req) => listParties(db, req.query),
  )
  app.get(
    '/parties/:code',
    route('stock.read', { tags, summary: 'Get a party', params: CodeParam, response: { 200: PartyResponse } }),
    async (req) => getPartyByCode(db, req.params.code),
  )
}
