import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StockCommandInput, StockCommandName, StockCommandResult } from '../commands/stock-commands.js'
import type { CommandResult } from '../modules/idempotency/commands.js'
import { commandOptions, type HttpContext } from './context.js'

/** Sends a command's result as 201; a replay of an Idempotency-Key says so in a header. */
export function sendCreated<R>(reply: FastifyReply, outcome: CommandResult<R>): R {
  reply.code(201)
  if (outcome.isReplay) reply.header('idempotent-replayed', 'true')
  return outcome.result
}

/** Runs a stock command for a request (actor, scope, idempotency) and answers 201 with its result. */
export async function runForRequest<N extends StockCommandName>(
  ctx: HttpContext,
  req: FastifyRequest,
  reply: FastifyReply,
  name: N,
  input: StockCommandInput<N>,
): Promise<ResultOf<N>> {
  const outcome = await ctx.commands.run(name, await commandOptions(ctx, req), input)
  return sendCreated(reply, outcome as CommandResult<ResultOf<N>>)
}

type ResultOf<N extends StockCommandName> = StockCommandResult<N> extends CommandResult<infer R> ? R : never
