import { newId } from '../../core/ids.js'
import type { Executor } from '../../db/database.js'

/** Returns the lot's id, creating the lot on its first receipt. */
export async function findOrCreateLot(
  db: Executor,
  skuId: string,
  code: string,
  expiresOn: string | null,
  now: Date,
): Promise<string> {
  const existing = await findLotId(db, skuId, code)
  if (existing) return existing
  const id = newId()
  await db
    .insertInto('lot')
    .values({ id, sku_id: skuId, code, expires_on: expiresOn, created_at: now.toISOString() })
    .execute()
  return id
}

/** The id of a SKU's lot by code, or undefined when no such lot was ever received. */
export async function findLotId(db: Executor, skuId: string, code: string): Promise<string | undefined> {
  const lot = await db
    .selectFrom('lot')
    .select('id')
    .where('sku_id', '=', skuId)
    .where('code', '=', code)
    .executeTakeFirst()
  return lot?.id
}
