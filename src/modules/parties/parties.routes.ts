import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { referenceDataRoutes } from '../../http/reference-routes.js'
import { createParty, getPartyByCode, listParties } from './parties.repository.js'
import { CreatePartyRequest, PartyResponse } from './parties.schemas.js'

/** Suppliers and customers. */
export const partyRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  referenceDataRoutes(app, {
    path: '/parties',
    tag: 'parties',
    summaries: { create: 'Create a supplier or customer', list: 'List parties', get: 'Get a party' },
    create: { body: CreatePartyRequest, run: (body) => createParty(ctx, body) },
    list: { filters: { role: z.enum(['supplier', 'customer']).optional() }, run: (query) => listParties(db, query) },
    get: (code) => getPartyByCode(db, code),
    item: PartyResponse,
  })
}
