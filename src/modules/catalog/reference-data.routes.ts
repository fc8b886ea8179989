import type { FastifyInstance, RouteShorthandOptions } from 'fastify'
import { z } from 'zod'
import { principalOf } from '../../http/auth.js'
import type { HttpContext } from '../../http/context.js'
import { type App, type ReferenceData, referenceDataRoutes } from '../../http/reference-routes.js'
import { CodeParam, route } from '../../http/route-schemas.js'
import { listChanges } from './catalog-history.repository.js'
import { removeReferenceData } from './catalog-edit.service.js'
import { ChangeResponse } from './catalog.schemas.js'

/** What removing a SKU, location or party did: deleted (never referenced) or archived. */
export const RemovedResponse = z
  .object({ code: z.string(), outcome: z.enum(['deleted', 'archived']) })
  .meta({ id: 'RemovedReferenceData' })
export const HistoryResponse = z.array(ChangeResponse)

/** Reference data that is also edited, removed and has a history: SKUs, locations and parties. */
export interface EditableReferenceData<
  Create extends z.ZodType,
  Filters extends z.ZodRawShape,
  Item extends z.ZodType,
  Update extends z.ZodType,
> extends ReferenceData<Create, Filters, Item> {
  /** The table its rows, references and history are kept under. */
  kind: 'sku' | 'location' | 'party'
  /** One item in the delete and history summaries, e.g. `a SKU`. */
  one: string
  update: {
    summary: string
    body: Update
    run: (actor: string, code: string, body: z.output<Update>) => Promise<z.output<Item>>
  }
  /** The stored record behind a code (throws its not_found), which removal and history name by id. */
  record: (code: string) => Promise<{ id: string; code: string }>
}

/**
 * The three reference-data routes, then PATCH to edit, DELETE to remove (archived once referenced) and GET of
 * the history: every kind of reference data is edited, removed and audited alike (catalog.write to change).
 */
export function editableReferenceRoutes<
  Create extends z.ZodType,
  Filters extends z.ZodRawShape,
  Item extends z.ZodType,
  Update extends z.ZodType,
>(app: App, ctx: HttpContext, r: EditableReferenceData<Create, Filters, Item, Update>): void {
  referenceDataRoutes(app, r)
  // Generic handlers go on the plain instance, as in referenceDataRoutes; the schemas still validate.
  const plain = app as unknown as FastifyInstance
  const opts = (...a: Parameters<typeof route>): RouteShorthandOptions => route(...a)
  const tags = [r.tag]
  const item = `${r.path}/:code`
  const codeOf = (req: { params: unknown }) => (req.params as { code: string }).code
  const patch = { tags, summary: r.update.summary, params: CodeParam, body: r.update.body, response: { 200: r.item } }
  plain.patch(item, opts('catalog.write', patch), async (req) =>
    r.update.run(principalOf(req).actor, codeOf(req), req.body as z.output<Update>),
  )
  const summary = `Delete ${r.one} nothing references yet; a referenced one is archived instead`
  const remove = { tags, summary, params: CodeParam, response: { 200: RemovedResponse } }
  plain.delete(item, opts('catalog.write', remove), async (req) =>
    removeReferenceData(ctx, principalOf(req).actor, r.kind, await r.record(codeOf(req))),
  )
  const One = r.one.charAt(0).toUpperCase() + r.one.slice(1)
  const historySummary = `${One}'s history: every edit with actor, time, old and new value`
  const history = { tags, summary: historySummary, params: CodeParam, response: { 200: HistoryResponse } }
  plain.get(`${item}/history`, opts('stock.read', history), async (req) =>
    listChanges(ctx.db.kysely, r.kind, (await r.record(codeOf(req))).id),
  )
}
