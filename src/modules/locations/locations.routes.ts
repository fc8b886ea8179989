import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
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
      summary: "Rename a location or set its label's barcode",
      params: CodeParam,
      body: UpdateLocationRequest,
      response: { 200: LocationResponse },
    }),
    async (req) => updateLocation(ctx, req.params.code, req.body),
  )
}
