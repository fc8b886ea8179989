import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../core/context.js'
import type { CommandOptions } from '../modules/idempotency/commands.js'

/** What a route needs from the app: the use-case context and who is acting. */
export interface HttpContext extends AppContext {
  /** Until accounts exist every request acts as this configured local user. */
  actor: string
}

/** Command options from a request: actor, the Idempotency-Key header, and the request to fingerprint. */
export function commandOptions(ctx: HttpContext, req: FastifyRequest): CommandOptions {
  const key = req.headers['idempotency-key']
  return { actor: ctx.actor, idempotencyKey: typeof key === 'string' && key !== '' ? key.slice(0, 200) : undefined, request: { url: req.url, body: req.body } }
}
