import { createHash } from 'node:crypto'
import { AppError } from '../../core/errors.js'
import type { Trx } from '../../db/database.js'
import { canonicalJson } from '../ledger/index.js'

/** A fingerprint of what a request said, so a key reused for a different request is refused, not replayed. */
export const requestHashOf = (request: unknown): string =>
  createHash('sha256')
    .update(canonicalJson(request ?? null))
    .digest('hex')

/**
 * The result stored under an Idempotency-Key, if a request with it already ran; refuses a key that was
 * used for a different request. Read inside the command's own write transaction, so two concurrent
 * retries cannot both run. `shownKey` is the key as the client sent it (the stored key carries its scope).
 */
export async function findReplay<R>(
  trx: Trx,
  key: string,
  requestHash: string,
  shownKey = key,
): Promise<R | undefined> {
  const seen = await trx.selectFrom('idempotency').selectAll().where('key', '=', key).executeTakeFirst()
  if (!seen) return undefined
  if (seen.request_hash !== requestHash)
    throw new AppError('idempotency.key_reused', `Idempotency-Key ${shownKey} was already used for a different request`)
  return JSON.parse(seen.response) as R
}

/** Stores a command's result under its key, in the command's transaction (both commit, or neither). */
export async function rememberResult(trx: Trx, key: string, requestHash: string, result: unknown, now: Date) {
  await trx
    .insertInto('idempotency')
    .values({
      key,
      request_hash: requestHash,
      status_code: 201,
      response: JSON.stringify(result),
      created_at: now.toISOString(),
    })
    .execute()
}
