import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { editableReferenceRoutes } from '../catalog/index.js'
import { createParty, getPartyByCode, listParties, updateParty } from './parties.repository.js'
import { CreatePartyRequest, PartyResponse, UpdatePartyRequest } from './parties.schemas.js'

/** Suppliers and customers. */
export const partyRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  editableReferenceRoutes(app, ctx, {
    path: '/parties',
    tag: 'parties',
    kind: 'party',
    one: 'a party',
    summaries: { create: 'Create a supplier or customer', list: 'List parties', get: 'Get a party' },
    create: { body: CreatePartyRequest, run: (body) => createParty(ctx, body) },
    list: { filters: { role: z.enum(['supplier', 'customer']).optional() }, run: (query) => listParties(db, query) },
    get: (code) => getPartyByCode(db, code),
    item: PartyResponse,
    update: {
      summary: 'Edit a party or archive it (recorded in its history)',
      body: UpdatePartyRequest,
      run: (actor, code, body) => updateParty(ctx, actor, code, body),
    },
    record: (code) => getPartyByCode(db, code),
  })
}
