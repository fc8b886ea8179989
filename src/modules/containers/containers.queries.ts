import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { nestedContainerCodes } from '../operations/index.js'
import type { ContainerFact } from './containers.rules.js'
import type { ContainerView } from './containers.schemas.js'

/** A container's row, or undefined before its first packing. */
export const findContainer = (db: Executor, code: string) =>
  db.selectFrom('container').selectAll().where('code', '=', code).executeTakeFirst()

/** Where a container's goods are: the location of any unit or stock packed in it or in one nested in it. */
async function containerLocation(db: Executor, code: string): Promise<string | null> {
  const codes = await nestedContainerCodes(db, code)
  const unit = await db
    .selectFrom('unit')
    .select('location_id')
    .where('container_code', 'in', codes)
    .where('location_id', 'is not', null)
    .limit(1)
    .executeTakeFirst()
  if (unit) return unit.location_id
  const stock = await db
    .selectFrom('container_quantity')
    .select('location_id')
    .where('container_code', 'in', codes)
    .where('location_id', 'is not', null)
    .limit(1)
    .executeTakeFirst()
  return stock?.location_id ?? null
}

/** The stock packed directly in a container, with its SKU and lot codes, by SKU and lot. */
export async function packedStock(db: Executor, code: string) {
  const rows = await db
    .selectFrom('container_quantity as cq')
    .innerJoin('sku', 'sku.id', 'cq.sku_id')
    .leftJoin('lot', 'lot.id', 'cq.lot_id')
    .select(['cq.sku_id', 'cq.lot_id', 'cq.location_id', 'cq.quantity', 'sku.code as sku', 'lot.code as lot'])
    .where('cq.container_code', '=', code)
    .orderBy('sku.code')
    .orderBy('cq.lot_key')
    .execute()
  return rows.map((r) => ({
    skuId: r.sku_id,
    lotId: r.lot_id,
    locationId: r.location_id,
    quantity: Number(r.quantity),
    skuCode: r.sku,
    lotCode: r.lot ?? null,
  }))
}

/** A container as a command's decide step needs it; one not yet packed loads as new (`exists` false). */
export async function loadContainerFact(db: Executor, code: string): Promise<ContainerFact> {
  const row = await findContainer(db, code)
  if (!row) return { code, exists: false, parentCode: null, ancestors: [], locationId: null }
  const ancestors: string[] = []
  for (let parent = row.parent_code; parent !== null && !ancestors.includes(parent);) {
    ancestors.push(parent)
    parent = (await findContainer(db, parent))?.parent_code ?? null
  }
  return { code, exists: true, parentCode: row.parent_code, ancestors, locationId: await containerLocation(db, code) }
}

/** A container that must exist (unpacking, a lookup). */
export async function loadExistingContainer(db: Executor, code: string): Promise<ContainerFact> {
  const fact = await loadContainerFact(db, code)
  if (!fact.exists) throw new AppError('container.not_found', `no container ${code}`)
  return fact
}

/** A container with its contents: its units and stock, and its nested containers with theirs. */
export async function getContainerView(db: Executor, code: string, depth = 0): Promise<ContainerView> {
  const row = await findContainer(db, code)
  if (!row) throw new AppError('container.not_found', `no container ${code}`)
  const units = await db
    .selectFrom('unit')
    .innerJoin('sku', 'sku.id', 'unit.sku_id')
    .select(['unit.serial', 'sku.code as sku', 'unit.status'])
    .where('unit.container_code', '=', code)
    .orderBy('unit.serial')
    .execute()
  const children =
    depth > 32
      ? []
      : await db.selectFrom('container').select('code').where('parent_code', '=', code).orderBy('code').execute()
  const locationId = await containerLocation(db, code)
  const location = locationId
    ? ((await db.selectFrom('location').select('code').where('id', '=', locationId).executeTakeFirst())?.code ?? null)
    : null
  const quantities = (await packedStock(db, code)).map((q) => ({
    sku: q.skuCode,
    lot: q.lotCode,
    quantity: q.quantity,
  }))
  return {
    code: row.code,
    kind: row.kind,
    parent: row.parent_code,
    location,
    units,
    quantities,
    containers: await Promise.all(children.map((c) => getContainerView(db, c.code, depth + 1))),
  }
}
