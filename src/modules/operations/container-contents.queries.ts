/*
 * What the containers a command names hold: their units (nested containers' too) and their packed lot and
 * quantity stock, read inside the write transaction. Packed stock is part of `stock` at its location but
 * not loose: only a command that takes its container whole may move, ship or sell it.
 */
import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { getSkusByIds } from '../catalog/index.js'
import { getLocationById } from '../locations/index.js'
import { withNestedContainers } from '../ledger/index.js'
import { findLatestStockEvent, findOnHand } from '../stock/index.js'
import type { UnitRef } from '../units/index.js'
import type { QuantityFact } from './operations.rules.js'

/** A container and every container nested in it (at any depth), the container first. */
export const nestedContainerCodes = (db: Executor, code: string): Promise<string[]> => withNestedContainers(db, [code])

/** Stock packed in a container, as `container_quantity` holds it. */
export interface PackedRow {
  container: string
  skuId: string
  lotId: string | null
  locationId: string | null
  transferId: string | null
  quantity: number
}

/** The stock packed in these containers (not in ones nested in them), by container, SKU and lot. */
export async function packedRows(db: Executor, codes: readonly string[]): Promise<PackedRow[]> {
  if (codes.length === 0) return []
  const rows = await db
    .selectFrom('container_quantity')
    .selectAll()
    .where('container_code', 'in', codes)
    .orderBy('container_code')
    .orderBy('sku_id')
    .orderBy('lot_key')
    .execute()
  return rows.map((r) => ({
    container: r.container_code,
    skuId: r.sku_id,
    lotId: r.lot_id,
    locationId: r.location_id,
    transferId: r.transfer_id,
    quantity: Number(r.quantity),
  }))
}

/**
 * The units and stock packed in the named containers and in every container nested in them: the units as
 * references to resolve, which named container reached each unit, every container code reached, and the
 * packed stock. An unknown container is refused.
 */
export async function containerContents(
  db: Executor,
  codes: readonly string[],
): Promise<{ refs: UnitRef[]; via: Map<string, string>; codes: string[]; packed: PackedRow[] }> {
  const refs: UnitRef[] = []
  const via = new Map<string, string>()
  const reached: string[] = []
  for (const code of codes) {
    const top = await db.selectFrom('container').select('code').where('code', '=', code).executeTakeFirst()
    if (!top) throw new AppError('container.not_found', `no container ${code}`)
    const nested = await nestedContainerCodes(db, top.code)
    reached.push(...nested)
    const rows = await db
      .selectFrom('unit')
      .innerJoin('sku', 'sku.id', 'unit.sku_id')
      .select(['unit.id', 'unit.serial', 'sku.code as sku'])
      .where('unit.container_code', 'in', nested)
      .orderBy('unit.serial')
      .execute()
    for (const r of rows) {
      refs.push({ serial: r.serial, sku: r.sku })
      via.set(r.id, code)
    }
  }
  return { refs, via, codes: reached, packed: await packedRows(db, reached) }
}

/**
 * On hand of a stock row that a command may take: what `stock` holds less what is packed there in
 * containers the command does not take whole (`taken`: container codes, nested ones included).
 */
export async function availableOnHand(
  db: Executor,
  key: { skuId: string; locationId: string; lotId: string | null },
  taken: readonly string[],
): Promise<number> {
  let packed = db
    .selectFrom('container_quantity')
    .select((eb) => eb.fn.sum<number>('quantity').as('packed'))
    .where('sku_id', '=', key.skuId)
    .where('location_id', '=', key.locationId)
    .where('lot_key', '=', key.lotId ?? '')
  if (taken.length > 0) packed = packed.where('container_code', 'not in', taken)
  const row = await packed.executeTakeFirst()
  return (await findOnHand(db, key)) - Number(row?.packed ?? 0)
}

/**
 * The stock packed in the containers a command takes whole, as quantity lines leaving where it is (each
 * with its SKU, lot and what the command may take there). Stock in transit cannot be taken this way.
 */
export async function loadPackedQuantities(
  db: Executor,
  contents: { codes: readonly string[]; packed: readonly PackedRow[] },
): Promise<QuantityFact[]> {
  const skus = await getSkusByIds(db, [...new Set(contents.packed.map((p) => p.skuId))])
  const out: QuantityFact[] = []
  for (const p of contents.packed) {
    if (p.locationId === null)
      throw new AppError('container.location_mismatch', `container ${p.container} is in transit on a transfer`)
    const key = { skuId: p.skuId, locationId: p.locationId, lotId: p.lotId }
    out.push({
      field: `containers.${p.container}`,
      sku: skus.get(p.skuId)!,
      lotCode: p.lotId === null ? undefined : await lotCode(db, p.lotId),
      lotId: p.lotId,
      location: await getLocationById(db, p.locationId),
      quantity: p.quantity,
      onHand: await availableOnHand(db, key, contents.codes),
      latestEvent: await findLatestStockEvent(db, key),
    })
  }
  return out
}

const lotCode = async (db: Executor, id: string) =>
  (await db.selectFrom('lot').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code
