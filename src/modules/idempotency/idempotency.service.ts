import { createHash } from 'node:crypto'
import type { AppContext, WriteScope } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { canonicalJson } from '../ledger/index.js'
import { inWriteTransaction } from '../../db/transaction.js'

export interface CommandOptions {
  actor: string
  /** Client-chosen key; a retry with the same key returns the first result and writes nothing. */
  idempotencyKey?: string
  /** What the request said, so a key reused for a different request is refused rather than replayed. */
  request?: unknown
  /** Location paths the actor may act in; undefined means everywhere. */
  locationScope?: readonly string[]
}

export interface CommandResult<R> {
  result: R
  isReplay: boolean
}

/**
 * Runs one write use case in a ledger-locked transaction. The idempotency record is read and written
 * inside that same transaction, so two concurrent retries cannot both execute, and a crash leaves
 * either the command and its record or neither.
 */
export async function runCommand<R>(
  ctx: AppContext,
  opts: CommandOptions,
  fn: (scope: WriteScope) => Promise<R>,
): Promise<CommandResult<R>> {
  // Only a command with a key is ever compared with an earlier one.
  const requestHash = opts.idempotencyKey
    ? createHash('sha256')
        .update(canonicalJson(opts.request ?? null))
        .digest('hex')
    : ''
  return inWriteTransaction(ctx.db, async (trx, head) => {
    const now = ctx.clock.now()
    if (opts.idempotencyKey) {
      const seen = await trx
        .selectFrom('idempotency')
        .selectAll()
        .where('key', '=', opts.idempotencyKey)
        .executeTakeFirst()
      if (seen) {
        if (seen.request_hash !== requestHash)
          throw new AppError(
            'idempotency.key_reused',
            `Idempotency-Key ${opts.idempotencyKey} was already used for a different request`,
          )
        return { result: JSON.parse(seen.response) as R, isReplay: true }
      }
    }
    const result = await fn({ trx, head, actor: opts.actor, now, locationScope: opts.locationScope })
    if (opts.idempotencyKey)
      await trx
        .insertInto('idempotency')
        .values({
          key: opts.idempotencyKey,
          request_hash: requestHash,
          status_code: 201,
          response: JSON.stringify(result),
          created_at: now.toISOString(),
        })
        .execute()
    return { result, isReplay: false }
  })
}
