import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AnyOperation } from '../modules/operations/index.js'
import { OPERATIONS } from '../modules/registry.js'
import { AppError } from '../core/errors.js'
import { StalePrincipalError } from '../db/transaction.js'
import { assertMay, authenticateAfresh } from './auth.js'
import { commandOptions, type HttpContext } from './context.js'

/**
 * The routes of every stock operation, derived from the registry: one POST each, validated by its
 * body and params schemas (once: the command handed to the writer thread is that validated body),
 * answered 201 with its response schema; a replayed Idempotency-Key says so in a header.
 */
export function operationRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    for (const op of OPERATIONS as readonly AnyOperation[])
      app.post(
        op.url,
        {
          config: { policy: op.policy, command: true },
          bodyLimit: op.bodyLimit,
          schema: {
            tags: [op.tag],
            summary: op.summary,
            ...(op.params && { params: op.params }),
            body: op.body,
            response: { 201: op.response },
          },
        },
        async (req, reply) => {
          const cmd = { ...(req.body as object), ...(req.params as object) }
          const run = async () => {
            const extra = op.requires?.(cmd)
            if (extra) assertMay(req, extra.permission, extra.to)
            return ctx.commands.run(op.name as never, await commandOptions(ctx, req), cmd as never)
          }
          let outcome: Awaited<ReturnType<typeof run>>
          try {
            outcome = await run()
          } catch (e) {
            // Run for a remembered principal (PostgreSQL) when an account or token had changed since it was
            // read, or refused by it: read the credential again (a revoked token is refused here), run again.
            const stale = e instanceof StalePrincipalError || (e instanceof AppError && e.code === 'auth.forbidden')
            if (req.authVersion === undefined || !stale) throw e
            await authenticateAfresh(ctx, req)
            outcome = await run()
          }
          reply.code(201)
          if (outcome.isReplay) reply.header('idempotent-replayed', 'true')
          return outcome.result
        },
      )
  }
}
