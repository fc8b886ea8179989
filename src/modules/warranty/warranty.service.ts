import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { getSkuByCode } from '../catalog/index.js'
import { findLotId } from '../lots/index.js'
import { findPolicy } from './warranty.queries.js'
import type { LotTermRequest, WarrantyPolicyRequest } from './warranty.schemas.js'
import type { z } from 'zod'

/** A SKU's warranty policy as the API shows it. */
export async function policyView(db: Executor, skuCode: string) {
  const sku = await getSkuByCode(db, skuCode)
  return { sku: sku.code, ...(await findPolicy(db, sku.id)) }
}

/** Sets a SKU's warranty policy (reference data, like the SKU itself), replacing the one it had. */
export async function savePolicy(db: Executor, skuCode: string, p: WarrantyPolicyRequest, now: Date) {
  const sku = await getSkuByCode(db, skuCode)
  const row = {
    sku_id: sku.id,
    months: p.months ?? sku.warrantyMonths,
    starts_at: p.startsAt,
    coverage: p.coverage ?? null,
    terms_by_sale_date: JSON.stringify(p.termsBySaleDate),
    replacement_rule: p.replacementRule,
    replacement_min_days: p.replacementMinDays,
    supplier_months: p.supplierMonths,
    supplier_starts_at: p.supplierStartsAt,
    public_check: p.publicCheck ? 1 : 0,
    updated_at: now.toISOString(),
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('warranty_policy').where('sku_id', '=', sku.id).execute()
    await trx.insertInto('warranty_policy').values(row).execute()
  })
  return policyView(db, sku.code)
}

/** Sets one lot's own warranty term (a promotion, a refurbished batch), replacing the one it had. */
export async function saveLotTerm(
  db: Executor,
  skuCode: string,
  lot: string,
  term: z.output<typeof LotTermRequest>,
  now: Date,
) {
  const sku = await getSkuByCode(db, skuCode)
  const lotId = await findLotId(db, sku.id, lot)
  if (!lotId) throw new AppError('warranty.invalid', `${sku.code} has no lot ${lot}`)
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('warranty_lot_term').where('lot_id', '=', lotId).execute()
    await trx
      .insertInto('warranty_lot_term')
      .values({ lot_id: lotId, ...term, updated_at: now.toISOString() })
      .execute()
  })
  return term
}
