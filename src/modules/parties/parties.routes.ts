import { z } from 'zod'
import { principalOf } from '../../http/auth.js'
import type { ModuleRoutes } from '../../http/context.js'
import { referenceDataRoutes } from '../../http/reference-routes.js'
import { CodeParam, route } from '../../http/route-schemas.js'
import { HistoryResponse, listChanges, RemovedResponse, removeReferenceData } from '../catalog/index.js'
import { createParty, getPartyByCode, listParties, updateParty } from './parties.repository.js'
import { CreatePartyRequest, PartyResponse, UpdatePartyRequest } from './parties.schemas.js'

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
  const tags = ['parties']
  app.patch(
    '/parties/:code',
    route('catalog.write', {
      tags,
      summary: 'Edit a party or archive it (recorded in its history)',
      params: CodeParam,
      body: UpdatePartyRequest,
      response: { 200: PartyResponse },
    }),
    async (req) => updateParty(ctx, principalOf(req).actor, req.params.code, req.body),
  )
  app.delete(
    '/parties/:code',
    route('catalog.write', {
      tags,
      summary: 'Delete a party nothing references yet; a referenced one is archived instead',
      params: CodeParam,
      response: { 200: RemovedResponse },
    }),
    async (req) => removeReferenceData(ctx, principalOf(req).actor, 'party', await getPartyByCode(db, req.params.code)),
  )
  app.get(
    '/parties/:code/history',
    route('stock.read', {
      tags,
      summary: "A party's history: every edit with actor, time, old and new value",
      params: CodeParam,
      response: { 200: HistoryResponse },
    }),
    async (req) => listChanges(db, 'party', (await getPartyByCode(db, req.params.code)).id),
  )
}
