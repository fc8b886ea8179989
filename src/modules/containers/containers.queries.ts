import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { nestedContainerCodes } from '../operations/index.js'
import type { ContainerFact } from './containers.rules.js'
import type { ContainerView } from './containers.schemas.js'

/** A container's row, or undefined before its first packing. */
export const findContainer = (db: Executor, code: string) =>
  db.selectFrom('container').selectAll().where('code', '=', code).executeTakeFirst()

/** Where a container's units are: the location of any unit packed in it or in a container nested in it. */
async function containerLocation(db: Executor, code: string): Promise<string | null> {
  const unit = await db
    .selectFrom('unit')
    .select('location_id')
    .where('container_code', 'in', await nestedContainerCodes(db, code))
    .where('location_id', 'is not', null)
    .limit(1)
    .executeTakeFirst()
  return unit?.location_id ?? null
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

/** A container with its contents: its units, and its nested containers with theirs. */
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
  return {
    code: row.code,
    kind: row.kind,
    parent: row.parent_code,
    location,
    units,
    containers: await Promise.all(children.map((c) => getContainerView(db, c.code, depth + 1))),
  }
}
