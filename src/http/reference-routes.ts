import type { FastifyInstance, RouteShorthandOptions } from 'fastify'
import type { App } from './context.js'
import { z } from 'zod'
import { CodeParam, ListQuery, route } from './route-schemas.js'

export type { App }

/** What a kind of reference data (SKUs, locations, parties) declares; its three routes follow from it. */
export interface ReferenceData<Create extends z.ZodType, Filters extends z.ZodRawShape, Item extends z.ZodType> {
  /** Collection path, e.g. `/locations`; one item is `/locations/:code`. */
  path: string
  tag: string
  summaries: { create: string; list: string; get: string }
  create: { body: Create; run: (body: z.output<Create>) => Promise<z.output<Item>> }
  /** Filters beyond `search` and `limit`. */
  list: {
    filters: Filters
    run: (query: z.output<z.ZodObject<Filters>> & z.output<typeof ListQuery>) => Promise<z.output<Item>[]>
  }
  get: (code: string) => Promise<z.output<Item>>
  item: Item
}

/**
 * POST to create (catalog.write), GET to list and GET by code (stock.read): the same three routes for every
 * kind of reference data, so they answer, refuse and appear in OpenAPI alike.
 */
export function referenceDataRoutes<Create extends z.ZodType, Filters extends z.ZodRawShape, Item extends z.ZodType>(
  app: App,
  r: ReferenceData<Create, Filters, Item>,
): void {
  // The schemas validate each request and answer; the generic handlers below cannot be typed through the
  // zod type provider's conditional types, so they register on the plain instance with the types of `r`.
  const plain = app as unknown as FastifyInstance
  const opts = (...a: Parameters<typeof route>): RouteShorthandOptions => route(...a)
  const tags = [r.tag]
  const { summaries: summary } = r
  const create = { tags, summary: summary.create, body: r.create.body, response: { 201: r.item } }
  plain.post(r.path, opts('catalog.write', create), async (req, reply) =>
    reply.code(201).send(await r.create.run(req.body as z.output<Create>)),
  )
  const querystring = ListQuery.extend(r.list.filters)
  const list = { tags, summary: summary.list, querystring, response: { 200: z.array(r.item) } }
  plain.get(r.path, opts('stock.read', list), async (req) => r.list.run(req.query as Parameters<typeof r.list.run>[0]))
  const get = { tags, summary: summary.get, params: CodeParam, response: { 200: r.item } }
  plain.get(`${r.path}/:code`, opts('stock.read', get), async (req) => r.get((req.params as { code: string }).code))
}
