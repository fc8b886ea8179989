import { z } from 'zod'
import { principalOf } from '../../http/auth.js'
import type { ModuleRoutes } from '../../http/context.js'
import { HistoryResponse, listChanges, RemovedResponse, removeReferenceData } from '../catalog/index.js'
import { referenceDataRoutes } from '../../http/reference-routes.js'
import { CodeParam, route } from '../../http/route-schemas.js'
import { CreateLocationRequest, LocationResponse, UpdateLocationRequest } from './locations.schemas.js'
import { createLocation, getLocationByCode, listLocations, updateLocation } from './locations.service.js'

/** The location tree: sites, zones and bins. */
export const locationRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  referenceDataRoutes(app, {
    path: '/locations',
    tag: 'locations',
    summaries: {
      create: 'Create a site, zone or bin',
      list: 'List locations (a subtree with ?under=CODE)',
      get: 'Get a location',
    },
    create: { body: CreateLocationRequest, run: (body) => createLocation(ctx, body) },
    list: {
      filters: {
        under: z.string().optional(),
        barcode: z.string().max(128).optional().describe('the location whose label carries this barcode'),
      },
      run: (query) => listLocations(db, query),
    },
    get: (code) => getLocationByCode(db, code),
    item: LocationResponse,
  })
  app.patch(
    '/locations/:code',
    route('catalog.write', {
      tags: ['locations'],
      summary: "Rename a location, set its label's barcode or archive it (recorded in its history)",
      params: CodeParam,
      body: UpdateLocationRequest,
      response: { 200: LocationResponse },
    }),
    async (req) => updateLocation(ctx, req.params.code, req.body, db, principalOf(req).actor),
  )
  app.delete(
    '/locations/:code',
    route('catalog.write', {
      tags: ['locations'],
      summary: 'Delete a location nothing references yet; a referenced one is archived instead',
      params: CodeParam,
      response: { 200: RemovedResponse },
    }),
    async (req) =>
      removeReferenceData(ctx, principalOf(req).actor, 'location', await getLocationByCode(db, req.params.code)),
  )
  app.get(
    '/locations/:code/history',
    route('stock.read', {
      tags: ['locations'],
      summary: "A location's history: every edit with actor, time, old and new value",
      params: CodeParam,
      response: { 200: HistoryResponse },
    }),
    async (req) => listChanges(db, 'location', (await getLocationByCode(db, req.params.code)).id),
  )
}
