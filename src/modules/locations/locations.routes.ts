import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { editableReferenceRoutes } from '../catalog/index.js'
import { CreateLocationRequest, LocationResponse, UpdateLocationRequest } from './locations.schemas.js'
import { createLocation, getLocationByCode, listLocations, updateLocation } from './locations.service.js'

/** The location tree: sites, zones and bins. */
export const locationRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  editableReferenceRoutes(app, ctx, {
    path: '/locations',
    tag: 'locations',
    kind: 'location',
    one: 'a location',
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
    update: {
      summary: "Rename a location, set its label's barcode or archive it (recorded in its history)",
      body: UpdateLocationRequest,
      run: (actor, code, body) => updateLocation(ctx, code, body, db, actor),
    },
    record: (code) => getLocationByCode(db, code),
  })
}
