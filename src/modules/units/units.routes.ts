import { z } from 'zod'
import { staleReads } from '../../db/connect.js'
import type { Executor } from '../../db/database.js'
import { moduleRoutes, type ModuleRoutes } from '../../http/context.js'
import { IdParam } from '../../http/route-schemas.js'
import { getUnit, listUnits, lookupUnits, unitProvenance, unitTimeline } from './unit.queries.js'
import { ListUnitsQuery, Provenance, TimelineEntry, UnitPage, UnitView } from './unit.schemas.js'

/** Completes a unit view with what another capability decides about it (its warranty end) as of `today`. */
export type UnitViewDecorator = (db: Executor, unit: UnitView, today: string) => Promise<UnitView>

/**
 * The read side of units: the scan lookup, a unit with its timeline and provenance, unit lists. The
 * registry passes `decorate` (the warranty's end date), so units need not import the capabilities built on them.
 */
export const unitRoutes = (decorate: UnitViewDecorator): ModuleRoutes =>
  moduleRoutes('units', (app, { ctx, db, routeOf }) => {
    app.get(
      '/units/lookup',
      routeOf('stock.read', 'Find units by a scanned serial or extra identifier (IMEI)', {
        querystring: z.object({ code: z.string().min(1).max(200) }).strict(),
        response: { 200: z.array(UnitView) },
      }),
      async (req) => {
        const today = ctx.clock.now().toISOString()
        return Promise.all((await lookupUnits(ctx.db, req.query.code)).map((u) => decorate(db, u, today)))
      },
    )
    app.get(
      '/units',
      routeOf('stock.read', 'List units with filters and cursor paging', {
        querystring: ListUnitsQuery,
        response: { 200: UnitPage },
      }),
      // A list may lag by the replica's lag; the scan lookup and a unit's own page above and below may not.
      async (req) => listUnits(staleReads(ctx.db), req.query),
    )
    app.get(
      '/units/:id',
      routeOf('stock.read', 'A unit and its current state', {
        params: IdParam,
        response: { 200: UnitView },
      }),
      async (req) => decorate(db, await getUnit(db, req.params.id), ctx.clock.now().toISOString()),
    )
    app.get(
      '/units/:id/timeline',
      routeOf('stock.read', "Every event of a unit's life: who, when, where, why", {
        params: IdParam,
        response: { 200: z.array(TimelineEntry) },
      }),
      async (req) => {
        await getUnit(db, req.params.id)
        return unitTimeline(ctx.db, req.params.id)
      },
    )
    app.get(
      '/units/:id/provenance',
      routeOf('stock.read', 'Receipt, supplier, lot and cost of a unit', {
        params: IdParam,
        response: { 200: Provenance },
      }),
      async (req) => unitProvenance(db, req.params.id),
    )
  })
