import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { StockCommands } from '../commands/stock-commands.js'
import type { AppContext } from '../core/context.js'
import type { DisplaySettings } from '../display-settings.js'
import type { CommandOptions } from '../modules/operations/index.js'
import { getLocationByCode } from '../modules/locations/index.js'
import type { ProofSettings } from '../modules/proofs/index.js'
import { principalOf } from './auth.js'
import { taggedRoutes, type TaggedRoutes } from './route-schemas.js'

/** What a route needs from the app: the use-case context, and where stock commands run. */
export interface HttpContext extends AppContext {
  commands: StockCommands
  /** The signing key and witness, when the server signs checkpoints (`serve` always does). */
  proofs?: ProofSettings
  /** How the web shows money (currency and locale), from the server's settings. */
  display: DisplaySettings
}

/** A module's routes: a Fastify plugin made from the app's context, registered under /api/v1. */
export type ModuleRoutes = (ctx: HttpContext) => FastifyPluginAsyncZod

/** The app a module's routes plugin receives (the zod type provider's instance). */
export type App = Parameters<FastifyPluginAsyncZod>[0]

/** What a module's routes are written with. */
export interface RouteKit {
  ctx: HttpContext
  db: HttpContext['db']['kysely']
  /** `routeOf(policy, summary, schema)`: a route's options, under the module's tag. */
  routeOf: TaggedRoutes
}

/** A module's routes under one tag: `moduleRoutes('orders', (app, { db, routeOf }) => { app.get(…) })`. */
export function moduleRoutes(tag: string, register: (app: App, kit: RouteKit) => void): ModuleRoutes {
  return (ctx) => async (app) => register(app, { ctx, db: ctx.db.kysely, routeOf: taggedRoutes([tag]) })
}

/** Command options from a request: actor, location scope, Idempotency-Key, and the request to fingerprint. */
export async function commandOptions(ctx: HttpContext, req: FastifyRequest): Promise<CommandOptions> {
  const principal = principalOf(req)
  const header = req.headers['idempotency-key']
  const key = typeof header === 'string' && header !== '' ? header.slice(0, 200) : undefined
  const locationScope =
    principal.locations.length > 0
      ? await Promise.all(principal.locations.map(async (c) => (await getLocationByCode(ctx.db.kysely, c)).path))
      : undefined
  return {
    actor: principal.actor,
    locationScope,
    // Keys are per user: one integration's key can never replay another user's result.
    idempotencyKey: key === undefined ? undefined : `${principal.userId}:${key}`,
    clientKey: key,
    request: { url: req.url, body: req.body },
    // A remembered principal is valid for this version only: the command checks it (PostgreSQL, sequenced).
    authVersion: req.authVersion,
  }
}
