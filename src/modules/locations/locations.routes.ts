import { z } from 'zod'
import type { ModuleRoutes } from '../../http/context.js'
import { CodeParam, ListQuery, route } from '../../http/route-schemas.js'
import { CreateLocationRequest, LocationResponse, UpdateLocationRequest } from './locations.schemas.js'
import { createLocation, getLocationByCode, listLocations, updateLocation } from './locations.service.js'

/** The location tree: sites, zones and bins. */
export const locationRoutes: ModuleRoutes = (ctx) => async (app) => {
  const db = ctx.db.kysely
  const tags = ['locations']
  app.post(
    '/locations',
    route('catalog.write', {
      tags,
      summary: 'Create a site, zone or bin',
      body: CreateLocationRequest,
      response: { 201: LocationResponse },
    }),
    async (req, reply) => reply.code(201).send(await createLocation(ctx, req.body)),
  )
  app.get(
    '/locations',
    route('stock.read', {
      tags,
      summary: 'List locations (a subtree with ?under=CODE)',
      querystring: ListQuery.extend({
        under: z.string().optional(),
        barcode: z.string().max(128).optional().describe('the location whose label carries this barcode'),
      }),
      response: { 200: z.array(LocationResponse) },
    }),
    async (req) => listLocations(db, req.query),
  )
  app.patch(
    '/locations/:code',
    route('catalog.write', {
      tags,
      summary: "Rename a location or set its label's barcode",
      params: CodeParam,
      body: UpdateLocationRequest,
      response: { 200: LocationResponse },
    }),
    async (req) => updateLocation(ctx, req.params.code, req.body),
  )
  app.get(
    '/locations/:code',
    route('stock.read', { tags, summary: 'Get a location', params: CodeParam, response: { 200: LocationResponse } }),
    async (req) => getLocationByCode(db, req.params.code),
  )
}
