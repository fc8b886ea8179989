import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WriteScope } from '../core/context.js'
import { type CommandResult, runCommand } from '../modules/idempotency/commands.js'
import { commandOptions, type HttpContext } from './context.js'

/** Sends a command's result as 201; a replay of an Idempotency-Key says so in a header. */
export function sendCreated<R>(reply: FastifyReply, outcome: CommandResult<R>): R {
  reply.code(201)
  if (outcome.isReplay) reply.header('idempotent-replayed', 'true')
  return outcome.result
}

/** Runs a write use case for a request (actor, scope, idempotency) and answers 201 with its result. */
export async function runForRequest<R>(ctx: HttpContext, req: FastifyRequest, reply: FastifyReply, fn: (scope: WriteScope) => Promise<R>): Promise<R> {
  return sendCreated(reply, await runCommand(ctx, await commandOptions(ctx, req), fn))
}
