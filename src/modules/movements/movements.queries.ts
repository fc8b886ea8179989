import type { Executor } from '../../db/database.js'
import { getSkusByIds } from '../catalog/index.js'
import type { PackedRow } from '../operations/index.js'
import type { DraftQuantity } from '../operations/operations.rules.js'
import type { UnitRef } from '../units/index.js'

/** The units still in transit on a transfer, as references a receipt of it names. */
export async function unitsInTransitOn(db: Executor, transferId: string): Promise<UnitRef[]> {
  return db
    .selectFrom('unit')
    .innerJoin('sku', 'sku.id', 'unit.sku_id')
    .select(['unit.serial', 'sku.code as sku'])
    .where('transfer_id', '=', transferId)
    .execute()
}

/**
 * Quantity shipped on a transfer and not yet received, per SKU and lot. Shipping lines are negative
 * and receiving lines positive on the same document, so what is still in transit is minus their sum.
 */
export async function outstandingQuantities(
  db: Executor,
  transferId: string,
): Promise<{ sku: DraftQuantity['sku']; lotId: string | null; quantity: number }[]> {
  const rows = await db
    .selectFrom('event_quantity as q')
    .innerJoin('event as e', 'e.seq', 'q.event_seq')
    .innerJoin('sku as s', 's.id', 'q.sku_id')
    .select(['q.sku_id', 's.code', 's.allow_negative', 'q.lot_id', (eb) => eb.fn.sum<number>('q.delta').as('net')])
    .where('e.document_id', '=', transferId)
    .groupBy(['q.sku_id', 's.code', 's.allow_negative', 'q.lot_id'])
    .execute()
  return rows
    .filter((r) => Number(r.net) < 0)
    .map((r) => ({
      sku: { id: r.sku_id, code: r.code, allowNegative: r.allow_negative === 1 },
      lotId: r.lot_id,
      quantity: -Number(r.net),
    }))
}

/** The containers whose packed stock is in transit on a transfer. */
export async function containersInTransitOn(db: Executor, transferId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('container_quantity')
    .select('container_code')
    .distinct()
    .where('transfer_id', '=', transferId)
    .orderBy('container_code')
    .execute()
  return rows.map((r) => r.container_code)
}

/** Packed stock of containers named on a transfer's arrival, with the transfer each travels on. */
export async function packedArrivals(db: Executor, rows: readonly PackedRow[]) {
  const skus = await getSkusByIds(db, [...new Set(rows.map((r) => r.skuId))])
  return rows.map((r) => {
    const sku = skus.get(r.skuId)!
    return {
      container: r.container,
      transferId: r.transferId,
      sku: { id: sku.id, code: sku.code, allowNegative: sku.allowNegative },
      lotId: r.lotId,
      quantity: r.quantity,
    }
  })
}
