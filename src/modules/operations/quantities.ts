import { AppError, IssueList } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { getSkuByCode, type Sku } from '../catalog/index.js'
import type { QuantityLine } from '../ledger/event.js'
import { getLocationByCode } from '../locations/index.js'
import { getLotId } from '../lots/lots.js'

export interface QuantityInput {
  sku: string
  lot?: string
  quantity: number
  price?: number
}

/** Resolves codes in quantity inputs to a ledger line; `sign` is -1 for stock leaving, +1 for arriving. */
export async function quantityLine(
  db: Executor,
  q: QuantityInput,
  locationCode: string,
  sign: 1 | -1,
  field: string,
): Promise<QuantityLine> {
  const sku = await getSkuByCode(db, q.sku)
  if (sku.tracking === 'serial')
    throw new AppError('sku.wrong_tracking', `${field}: ${sku.code} is serial-tracked; list its units by serial`)
  if (sku.tracking === 'lot' && !q.lot)
    throw new AppError('request.invalid', `${field}.lot: ${sku.code} is lot-tracked; name the lot`)
  if (sku.tracking === 'quantity' && q.lot)
    throw new AppError('request.invalid', `${field}.lot: ${sku.code} has no lots`)
  const lotId = q.lot ? await getLotId(db, sku.id, sku.code, q.lot) : null
  const location = await getLocationByCode(db, locationCode)
  const priceMinor = q.price !== undefined ? toMinor(q.price) : sign < 0 ? sku.priceMinor : null
  return { skuId: sku.id, lotId, locationId: location.id, delta: sign * q.quantity, costMinor: null, priceMinor }
}

/**
 * Refuses lines that would take quantity stock below zero, unless the SKU allows negative stock.
 * Deltas on the same SKU/location/lot are summed first; runs under the ledger lock, so the read is current.
 */
export async function assertStockAvailable(
  db: Executor,
  lines: readonly QuantityLine[],
  skus: Map<string, Sku>,
): Promise<void> {
  const totals = new Map<string, { line: QuantityLine; delta: number }>()
  for (const l of lines) {
    const key = `${l.skuId}|${l.locationId}|${l.lotId ?? ''}`
    const t = totals.get(key) ?? totals.set(key, { line: l, delta: 0 }).get(key)!
    t.delta += l.delta
  }
  const issues = new IssueList()
  for (const { line, delta } of totals.values()) {
    const sku = skus.get(line.skuId)!
    if (delta >= 0 || sku.allowNegative) continue
    const row = await db
      .selectFrom('stock')
      .select(['quantity'])
      .where('sku_id', '=', line.skuId)
      .where('location_id', '=', line.locationId)
      .where('lot_key', '=', line.lotId ?? '')
      .executeTakeFirst()
    const have = Number(row?.quantity ?? 0)
    if (have + delta < 0)
      issues.add({
        field: 'quantities',
        value: sku.code,
        message: `${sku.code}: ${-delta} needed, ${have} on hand at that location`,
      })
  }
  issues.throwIfAny('stock.insufficient', 'not enough stock')
}
