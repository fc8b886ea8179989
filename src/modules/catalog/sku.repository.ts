import { found } from '../../core/errors.js'
import type { Executor, SkuTable } from '../../db/database.js'
import { mapValues, rowByCode, rowsByIds } from '../../db/lookups.js'
import type { IdentifierRule, SerialCase, Sku, SkuLifecycle, Tracking } from './sku.rules.js'

export function toSku(r: SkuTable): Sku {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    gtin: r.gtin,
    tracking: r.tracking as Tracking,
    costMinor: Number(r.cost_minor),
    priceMinor: Number(r.price_minor),
    warrantyMonths: r.warranty_months,
    returnWindowDays: r.return_window_days,
    serialPattern: r.serial_pattern,
    serialExample: r.serial_example,
    serialCase: r.serial_case as SerialCase,
    allowNegative: r.allow_negative === 1,
    identifiers: JSON.parse(r.identifiers) as IdentifierRule[],
    serialsUniqueAcrossSkus: Number(r.serials_unique) === 1,
    skuGroup: r.sku_group ?? null,
    belowCostAllowed: Number(r.below_cost_allowed ?? 0) === 1,
    archivedAt: r.archived_at ?? null,
    lifecycle: r.lifecycle_settings ? (JSON.parse(r.lifecycle_settings) as SkuLifecycle) : null,
  }
}

/** The columns `toSku` reads (every one: the compiler asks for a column added to SkuTable). */
const SKU_COLUMNS = Object.keys({
  id: 1,
  code: 1,
  name: 1,
  gtin: 1,
  tracking: 1,
  cost_minor: 1,
  price_minor: 1,
  warranty_months: 1,
  return_window_days: 1,
  serial_pattern: 1,
  serial_example: 1,
  serial_case: 1,
  allow_negative: 1,
  identifiers: 1,
  serials_unique: 1,
  sku_group: 1,
  below_cost_allowed: 1,
  lifecycle_settings: 1,
  archived_at: 1,
} satisfies Record<Exclude<keyof SkuTable, 'created_at'>, 1>) as (keyof SkuTable)[]

/** Where a query joins `sku` to another table, its columns selected as `sku__<column>` (see `skuOfJoined`). */
export const SKU_JOINED_COLUMNS = SKU_COLUMNS.map((c) => `sku.${c} as sku__${c}` as const)

/** The SKU of a row that selected `SKU_JOINED_COLUMNS`. */
export const skuOfJoined = (row: Record<string, unknown>): Sku =>
  toSku(Object.fromEntries(SKU_COLUMNS.map((c) => [c, row[`sku__${c}`]])) as unknown as SkuTable)

export async function findSkuByCode(db: Executor, code: string): Promise<Sku | undefined> {
  const row = await rowByCode(db, 'sku', code)
  return row && toSku(row)
}

export async function getSkuByCode(db: Executor, code: string): Promise<Sku> {
  return found(await findSkuByCode(db, code), 'sku.not_found', `no SKU with code ${code}`)
}

export async function findSkuByGtin(db: Executor, gtin: string): Promise<Sku | undefined> {
  const row = await db.selectFrom('sku').selectAll().where('gtin', '=', gtin).executeTakeFirst()
  return row && toSku(row)
}

export async function getSkusByIds(db: Executor, ids: readonly string[]): Promise<Map<string, Sku>> {
  return mapValues(await rowsByIds(db, 'sku', ids), toSku)
}

export async function listSkus(
  db: Executor,
  q: { search?: string; tracking?: string; limit: number; after?: string },
): Promise<Sku[]> {
  let query = db.selectFrom('sku').selectAll().orderBy('code').limit(q.limit)
  if (q.search)
    query = query.where((eb) => eb.or([eb('code', 'like', `%${q.search}%`), eb('name', 'like', `%${q.search}%`)]))
  if (q.tracking) query = query.where('tracking', '=', q.tracking)
  if (q.after) query = query.where('code', '>', q.after)
  return (await query.execute()).map(toSku)
}

export async function insertSku(db: Executor, sku: Sku, createdAt: string): Promise<void> {
  await db
    .insertInto('sku')
    .values({
      id: sku.id,
      code: sku.code,
      name: sku.name,
      gtin: sku.gtin,
      tracking: sku.tracking,
      cost_minor: sku.costMinor,
      price_minor: sku.priceMinor,
      warranty_months: sku.warrantyMonths,
      return_window_days: sku.returnWindowDays,
      serial_pattern: sku.serialPattern,
      serial_example: sku.serialExample ?? null,
      serial_case: sku.serialCase,
      allow_negative: sku.allowNegative ? 1 : 0,
      identifiers: JSON.stringify(sku.identifiers),
      serials_unique: sku.serialsUniqueAcrossSkus ? 1 : 0,
      sku_group: sku.skuGroup ?? null,
      below_cost_allowed: sku.belowCostAllowed ? 1 : 0,
      created_at: createdAt,
    })
    .execute()
}
