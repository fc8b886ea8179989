import { AppError } from '../../core/errors.js'
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
  const existing = await db
    .selectFrom('lot')
    .select('id')
    .where('sku_id', '=', skuId)
    .where('code', '=', code)
    .executeTakeFirst()
  if (existing) return existing.id
  const id = newId()
  await db
    .insertInto('lot')
    .values({ id, sku_id: skuId, code, expires_on: expiresOn, created_at: now.toISOString() })
    .execute()
  return id
}

/** The lot id for a code that must already exist (you cannot sell from a lot never received). */
export async function getLotId(db: Executor, skuId: string, skuCode: string, code: string): Promise<string> {
  const lot = await db
    .selectFrom('lot')
    .select('id')
    .where('sku_id', '=', skuId)
    .where('code', '=', code)
    .executeTakeFirst()
  if (!lot) throw new AppError('request.invalid', `${skuCode} has no lot ${code}`)
  return lot.id
}

export async function lotCodesByIds(db: Executor, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))]
  if (wanted.length === 0) return new Map()
  const rows = await db.selectFrom('lot').select(['id', 'code']).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, r.code]))
}
