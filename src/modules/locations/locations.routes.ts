import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { referenceDataRoutes } from '../../http/reference-routes.js'
import { CreateLocationRequest, LocationResponse } from './locations.schemas.js'
import { createLocation, getLocationByCode, listLocations } from './locations.service.js'

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
    list: { filters: { under: z.string().optional() }, run: (query) => listLocations(db, query) },
    get: (code) => getLocationByCode(db, code),
    item: LocationResponse,
  })
}
