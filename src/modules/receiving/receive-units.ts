import type { AppContext } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { type CommandOptions, type CommandResult, runCommand } from '../idempotency/commands.js'
import type { ReceiptResult } from './receiving.schemas.js'
import { explainDuplicates, receive, type ReceiveCommand } from './receiving.service.js'

/**
 * Receives a delivery in one transaction. When the unique (SKU, serial) key refuses it, the receipt
 * is re-read once to list every duplicate, since the database only names the first. `cmd.lines` must
 * be re-iterable (an array is; the CSV import passes its own re-reading explanation instead).
 */
export async function receiveUnits(
  ctx: AppContext,
  opts: CommandOptions,
  cmd: ReceiveCommand,
): Promise<CommandResult<ReceiptResult>> {
  try {
    return await runCommand(ctx, opts, (scope) => receive(scope, cmd))
  } catch (e) {
    if (e instanceof AppError && e.code === 'serial.duplicate') throw await explainDuplicates(ctx, cmd.lines)
    throw e
  }
}
