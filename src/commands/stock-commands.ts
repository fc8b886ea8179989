import type { z } from 'zod'
import type { AppContext } from '../core/context.js'
import { type CommandOptions, type CommandResult, runCommand } from '../modules/idempotency/commands.js'
import * as ops from '../modules/operations/index.js'
import { type ReceiveRequest, receiveCommandOf, receiveUnits } from '../modules/receiving/index.js'

/**
 * Every stock operation by name, taking plain data (a validated request body): what the HTTP routes
 * run, either here in the server's thread or, on a SQLite file, in the writer thread (which can only be
 * sent names and data, not functions).
 */
export const STOCK_COMMANDS = {
  receive: (ctx: AppContext, opts: CommandOptions, input: z.input<typeof ReceiveRequest>) =>
    receiveUnits(ctx, opts, receiveCommandOf(input)),
  move: (ctx: AppContext, opts: CommandOptions, input: z.input<typeof ops.MoveRequest>) =>
    runCommand(ctx, opts, (s) => ops.moveStock(s, input)),
  shipTransfer: (ctx: AppContext, opts: CommandOptions, input: z.input<typeof ops.ShipTransferRequest>) =>
    runCommand(ctx, opts, (s) => ops.shipTransfer(s, input)),
  receiveTransfer: (
    ctx: AppContext,
    opts: CommandOptions,
    input: { number: string; body: z.input<typeof ops.ReceiveTransferRequest> },
  ) => runCommand(ctx, opts, (s) => ops.receiveTransfer(s, input.number, input.body)),
  sell: (ctx: AppContext, opts: CommandOptions, input: z.input<typeof ops.SellRequest>) =>
    runCommand(ctx, opts, (s) => ops.sell(s, input)),
  returnGoods: (ctx: AppContext, opts: CommandOptions, input: z.input<typeof ops.ReturnRequest>) =>
    runCommand(ctx, opts, (s) => ops.returnGoods(s, input)),
  restock: (ctx: AppContext, opts: CommandOptions, input: z.input<typeof ops.RestockRequest>) =>
    runCommand(ctx, opts, (s) => ops.restock(s, input)),
  adjust: (ctx: AppContext, opts: CommandOptions, input: z.input<typeof ops.AdjustRequest>) =>
    runCommand(ctx, opts, (s) => ops.adjust(s, input)),
  scrap: (ctx: AppContext, opts: CommandOptions, input: z.input<typeof ops.ScrapRequest>) =>
    runCommand(ctx, opts, (s) => ops.scrap(s, input)),
}

export type StockCommandName = keyof typeof STOCK_COMMANDS
export type StockCommandInput<N extends StockCommandName> = Parameters<(typeof STOCK_COMMANDS)[N]>[2]
export type StockCommandResult<N extends StockCommandName> = Awaited<ReturnType<(typeof STOCK_COMMANDS)[N]>>

/** Where stock commands run. */
export interface StockCommands {
  run<N extends StockCommandName>(
    name: N,
    opts: CommandOptions,
    input: StockCommandInput<N>,
  ): Promise<StockCommandResult<N>>
  close(): Promise<void>
}

/** Runs a named command in this thread. */
export function runStockCommand<N extends StockCommandName>(
  ctx: AppContext,
  name: N,
  opts: CommandOptions,
  input: StockCommandInput<N>,
): Promise<CommandResult<unknown>> {
  const command = STOCK_COMMANDS[name] as (
    ctx: AppContext,
    opts: CommandOptions,
    input: StockCommandInput<N>,
  ) => Promise<CommandResult<unknown>>
  return command(ctx, opts, input)
}

/** Commands run in the caller's thread, on the caller's connection (PostgreSQL, in-memory SQLite, tests). */
export function inProcessCommands(ctx: AppContext): StockCommands {
  return {
    run: (name, opts, input) => runStockCommand(ctx, name, opts, input) as never,
    close: async () => {},
  }
}
