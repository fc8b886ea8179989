import { createHash } from 'node:crypto'
import type { Executor } from '../../db/database.js'
import { logHit } from './check-log.js'
import { tokenHash } from './warranty.operations.js'
import { warrantyOf } from './warranty.queries.js'
import type { PublicCheck } from './warranty.schemas.js'

/** The one answer for an unknown, revoked or switched-off token and for a unit we did not sell. */
export const BLAND_ANSWER: PublicCheck = {
  genuine: false,
  product: null,
  soldMonth: null,
  warrantyEndsOn: null,
  inWarranty: null,
  message: 'We cannot confirm this product from this code. Please contact the store.',
}

/** Statuses of a unit in its buyer's hands (or with us for their repair): what "sold by this store" means. */
const SOLD = new Set(['sold', 'in_repair'])

/**
 * The public authenticity and warranty check of one token: product, sale month and warranty end of a
 * unit we sold, and nothing personal; every check is logged (client hashed) for the cloned-label signals.
 */
export async function publicCheck(db: Executor, token: string, client: string, now: Date): Promise<PublicCheck> {
  const hash = tokenHash(token)
  const row = await db
    .selectFrom('public_check_token as t')
    .innerJoin('unit as u', 'u.id', 't.unit_id')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('warranty_policy as p', 'p.sku_id', 'u.sku_id')
    .select(['u.id', 'u.status', 'u.sold_at', 's.name', 'p.public_check'])
    .where('t.token_hash', '=', hash)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row || row.public_check === 0) return BLAND_ANSWER
  logHit(db, {
    token_hash: hash,
    client_hash: createHash('sha256').update(`sl-check:${client}`).digest('hex').slice(0, 32),
    checked_at: now.toISOString(),
    unit_status: row.status,
  })
  if (!SOLD.has(row.status) || !row.sold_at) return BLAND_ANSWER
  const { warranty } = await warrantyOf(db, row.id, now.toISOString())
  return {
    genuine: true,
    product: row.name,
    soldMonth: row.sold_at.slice(0, 7),
    warrantyEndsOn: warranty.status === 'void' ? null : warranty.endsOn,
    inWarranty: warranty.status === 'in_warranty',
    message:
      warranty.status === 'in_warranty'
        ? 'Genuine: sold by this store, in warranty.'
        : warranty.status === 'void'
          ? 'Genuine: sold by this store. Its warranty no longer applies.'
          : 'Genuine: sold by this store. Its warranty has ended.',
  }
}
