import type { AppContext } from '../../core/context.js'
import { AppError, found } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import { startsWith } from '../../db/sql.js'
import type { Executor, LocationTable } from '../../db/database.js'
import { mapDbError } from '../../db/errors.js'
import { assertCodeFree, rowByCode } from '../../db/lookups.js'
import { archive, changedFields, recordChanges, withSubject } from '../catalog/index.js'
import { CreateLocationRequest, type Location, UpdateLocationRequest } from './locations.schemas.js'

const PARENT_LEVEL = { site: null, zone: 'site', bin: 'zone' } as const

export const toLocation = (r: LocationTable): Location => ({
  id: r.id,
  code: r.code,
  name: r.name,
  level: r.level as Location['level'],
  kind: r.kind as Location['kind'],
  parentId: r.parent_id,
  path: r.path,
  barcode: r.barcode,
  archivedAt: r.archived_at ?? null,
})

/** Creates a location in the site > zone > bin tree; a child's kind is its site's kind. */
export async function createLocation(
  ctx: AppContext,
  input: CreateLocationRequest,
  db: Executor = ctx.db.kysely,
): Promise<Location> {
  const req = CreateLocationRequest.parse(input)
  await assertCodeFree(db, 'location', req.code, 'location.duplicate', 'location')
  const wantedParent = PARENT_LEVEL[req.level]
  let parent: Location | undefined
  if (wantedParent === null) {
    if (req.parent) throw new AppError('location.invalid_parent', `${req.code}: a site has no parent`)
    if (!req.kind)
      throw new AppError('request.invalid', `${req.code}: a site needs a kind (warehouse, store or transit)`)
  } else {
    if (!req.parent)
      throw new AppError('location.invalid_parent', `${req.code}: a ${req.level} needs a parent ${wantedParent}`)
    parent = await getLocationByCode(db, req.parent)
    if (parent.level !== wantedParent)
      throw new AppError(
        'location.invalid_parent',
        `${req.code}: the parent of a ${req.level} must be a ${wantedParent}, ${parent.code} is a ${parent.level}`,
      )
  }
  const location: Location = {
    id: newId(),
    code: req.code,
    name: req.name,
    level: req.level,
    kind: parent?.kind ?? req.kind!,
    parentId: parent?.id ?? null,
    path: `${parent?.path ?? '/'}${req.code}/`,
    barcode: req.barcode ?? null,
  }
  try {
    await db
      .insertInto('location')
      .values({
        id: location.id,
        code: location.code,
        name: location.name,
        level: location.level,
        kind: location.kind,
        parent_id: location.parentId,
        path: location.path,
        barcode: location.barcode,
        created_at: ctx.clock.now().toISOString(),
      })
      .execute()
  } catch (e) {
    throw withSubject(mapDbError(e), `location ${location.code}`)
  }
  return location
}

/**
 * Renames a location, sets (null: removes) its label barcode or archives it; the code and place in the
 * tree stay. Each changed field is recorded in the location's history.
 */
export async function updateLocation(
  ctx: AppContext,
  code: string,
  input: UpdateLocationRequest,
  db: Executor = ctx.db.kysely,
  actor = 'system',
): Promise<Location> {
  const req = UpdateLocationRequest.parse(input)
  const loc = await getLocationByCode(db, code)
  const patch = {
    ...(req.name !== undefined && { name: req.name }),
    ...(req.barcode !== undefined && { barcode: req.barcode }),
  }
  const at = ctx.clock.now().toISOString()
  const subject = { entity: 'location' as const, id: loc.id, code: loc.code, actor, at }
  if (Object.keys(patch).length > 0) {
    try {
      await db.updateTable('location').set(patch).where('id', '=', loc.id).execute()
    } catch (e) {
      throw withSubject(mapDbError(e), `location ${code}: barcode ${req.barcode}`)
    }
    await recordChanges(db, subject, changedFields(loc, patch))
  }
  if (req.archived !== undefined) await archive(db, subject, 'location', req.archived)
  return getLocationByCode(db, code)
}

/** The location whose label carries this barcode (as scanned, or upper-cased), or undefined. */
export async function findLocationByBarcode(db: Executor, barcode: string): Promise<Location | undefined> {
  const t = barcode.trim()
  if (t === '') return undefined
  const row = await db
    .selectFrom('location')
    .selectAll()
    .where('barcode', 'in', [t, t.toUpperCase()])
    .executeTakeFirst()
  return row && toLocation(row)
}

export async function findLocationByCode(db: Executor, code: string): Promise<Location | undefined> {
  const row = await rowByCode(db, 'location', code)
  return row && toLocation(row)
}

export async function getLocationByCode(db: Executor, code: string): Promise<Location> {
  return found(await findLocationByCode(db, code), 'location.not_found', `no location with code ${code}`)
}

export async function getLocationById(db: Executor, id: string): Promise<Location> {
  const row = await db.selectFrom('location').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('location.not_found', `no location ${id}`)
  return toLocation(row)
}

export async function listLocations(
  db: Executor,
  q: { under?: string; search?: string; barcode?: string; limit: number },
): Promise<Location[]> {
  let query = db.selectFrom('location').selectAll().orderBy('path').limit(q.limit)
  if (q.barcode) query = query.where('barcode', '=', q.barcode.trim())
  if (q.under) query = query.where(startsWith('path', (await getLocationByCode(db, q.under)).path))
  if (q.search)
    query = query.where((eb) => eb.or([eb('code', 'like', `%${q.search}%`), eb('name', 'like', `%${q.search}%`)]))
  return (await query.execute()).map(toLocation)
}

/** True when `loc` is `ancestor` or lies beneath it. */
export const isWithin = (loc: Location, ancestor: Location): boolean => loc.path.startsWith(ancestor.path)
