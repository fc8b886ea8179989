import type { AppContext } from '../core/context.js'
import type { CommandOptions, CommandResult } from '../modules/operations/index.js'
import { type CommandOfOperation, type ResultOf, runOperation } from '../modules/operations/index.js'
import { type OperationName, type OperationNamed, OPERATIONS_BY_NAME } from '../modules/registry.js'

/*
 * The command table of the stock operations, derived from the registry: what the HTTP routes run,
 * either in the server's thread or, on a SQLite file, in the writer thread (which can be sent names and
 * data, not functions). A command is an operation's already validated body: nothing is parsed again.
 */

export type StockCommandInput<N extends OperationName> = CommandOfOperation<OperationNamed<N>>
export type StockCommandResult<N extends OperationName> = CommandResult<ResultOf<OperationNamed<N>>>

/** Where stock commands run. */
export interface StockCommands {
  run<N extends OperationName>(name: N, opts: CommandOptions, cmd: StockCommandInput<N>): Promise<StockCommandResult<N>>
  close(): Promise<void>
}

/** Runs a named operation in this thread. */
export function runStockCommand<N extends OperationName>(
  ctx: AppContext,
  name: N,
  opts: CommandOptions,
  cmd: StockCommandInput<N>,
): Promise<StockCommandResult<N>> {
  const op = OPERATIONS_BY_NAME[name]
  if (!op) return Promise.reject(new Error(`no stock operation ${String(name)}`))
  return runOperation(ctx, op, opts, cmd as never) as Promise<StockCommandResult<N>>
}

/** Commands run in the caller's thread, on the caller's connection (PostgreSQL, in-memory SQLite, tests). */
export function inProcessCommands(ctx: AppContext): StockCommands {
  return {
    run: (name, opts, cmd) => runStockCommand(ctx, name, opts, cmd),
    close: async () => {},
  }
}
