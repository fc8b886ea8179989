/*
 * The load steps stock operations share: reads only, inside the write transaction (so what they read is
 * current), turning the codes and serials of a command into facts for its decide step.
 */
import { AppError, type ErrorCode } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { getSkuByCode, type Sku } from '../catalog/index.js'
import { getLocationByCode, type Location } from '../locations/index.js'
import { getPartyByCode, type Party } from '../parties/index.js'
import { findLotId } from '../lots/index.js'
import { findLatestStockEvent, findOnHand } from '../stock/index.js'
import { resolveUnits, type UnitRef } from '../units/index.js'
import type { QuantityFact, UnitFact } from './operations.rules.js'

/** A unit as a request names it: a serial, or `{serial, sku}` (with a price on a sale). */
export type UnitInput = string | (UnitRef & { price?: number })

/** A request's unit references as `{serial, sku}`, keeping any extra fields (a sale's prices). */
export const refsOf = <R extends UnitRef>(units: readonly (string | R)[]): (UnitRef | R)[] =>
  units.map((u) => (typeof u === 'string' ? { serial: u } : u))

/**
 * The units a request names (refused when unknown, ambiguous or listed twice), then the contents of the
 * containers it names (nested ones included), each marked with the container that reached it.
 */
export async function loadUnits(
  db: Executor,
  units: readonly UnitInput[],
  containers: readonly string[] = [],
): Promise<UnitFact[]> {
  const packed = await containerContents(db, containers)
  const found = await resolveUnits(db, [...refsOf(units), ...packed.refs])
  return packed.via.size === 0
    ? found
    : found.map((u) => (packed.via.has(u.id) ? { ...u, viaContainer: packed.via.get(u.id) } : u))
}

/** A container and every container nested in it (at any depth), the container first. */
export async function nestedContainerCodes(db: Executor, code: string): Promise<string[]> {
  const all = [code]
  for (let level = [code]; level.length > 0;) {
    const children = await db.selectFrom('container').select('code').where('parent_code', 'in', level).execute()
    level = children.map((c) => c.code).filter((c) => !all.includes(c))
    all.push(...level)
  }
  return all
}

/**
 * The units packed in the named containers and in every container nested in them: as references to
 * resolve, and which named container reached each unit. An unknown container is refused.
 */
export async function containerContents(
  db: Executor,
  codes: readonly string[],
): Promise<{ refs: UnitRef[]; via: Map<string, string> }> {
  const refs: UnitRef[] = []
  const via = new Map<string, string>()
  for (const code of codes) {
    const top = await db.selectFrom('container').select('code').where('code', '=', code).executeTakeFirst()
    if (!top) throw new AppError('container.not_found', `no container ${code}`)
    const rows = await db
      .selectFrom('unit')
      .innerJoin('sku', 'sku.id', 'unit.sku_id')
      .select(['unit.id', 'unit.serial', 'sku.code as sku'])
      .where('unit.container_code', 'in', await nestedContainerCodes(db, top.code))
      .orderBy('unit.serial')
      .execute()
    for (const r of rows) {
      refs.push({ serial: r.serial, sku: r.sku })
      via.set(r.id, code)
    }
  }
  return { refs, via }
}

/** Refuses reference data that was archived: it stays for history but takes part in no new operation. */
function refuseArchived<T extends { code: string; archivedAt?: string | null }>(
  error: ErrorCode,
  what: string,
  row: T,
): T {
  if (row.archivedAt)
    throw new AppError(error, `${what} ${row.code} is archived (since ${row.archivedAt}); new operations cannot use it`)
  return row
}

/** A location by code (refused when archived), or undefined when the request names none. */
export async function loadLocation(db: Executor, code: string | undefined): Promise<Location | undefined> {
  return code === undefined ? undefined : loadActiveLocation(db, code)
}

/** A location by code for a new operation: unknown and archived ones are refused. */
export const loadActiveLocation = async (db: Executor, code: string): Promise<Location> =>
  refuseArchived('location.archived', 'location', await getLocationByCode(db, code))

/** A SKU by code for a new operation (a receipt): unknown and archived ones are refused. */
export const loadSku = async (db: Executor, code: string): Promise<Sku> =>
  refuseArchived('sku.archived', 'SKU', await getSkuByCode(db, code))

/** A party by code in the role a new operation needs: unknown, archived and wrong-role ones are refused. */
export const loadParty = async (db: Executor, code: string, role: Party['role']): Promise<Party> =>
  refuseArchived('party.archived', `${role}`, await getPartyByCode(db, code, role))

/** A quantity line as requests give it (the location comes from the line or from the request). */
export interface QuantityInput {
  sku: string
  lot?: string
  quantity: number
  price?: number
}

/**
 * Loads each quantity line's SKU, lot, location, the latest event of that stock row and, for stock
 * leaving (`sign` -1), what is on hand there now. A lot is looked up only for a lot-tracked SKU; one that
 * does not exist loads as undefined, for decide to refuse.
 */
export async function loadQuantities<Q extends QuantityInput>(
  db: Executor,
  inputs: readonly Q[],
  locationOf: (q: Q) => string,
  sign: 1 | -1,
): Promise<QuantityFact[]> {
  const out: QuantityFact[] = []
  for (const [i, q] of inputs.entries()) {
    const sku = await getSkuByCode(db, q.sku)
    const lotId = sku.tracking === 'lot' && q.lot ? await findLotId(db, sku.id, q.lot) : null
    const location = await loadActiveLocation(db, locationOf(q))
    const key = { skuId: sku.id, locationId: location.id, lotId: lotId ?? null }
    const onHand = sign < 0 ? await findOnHand(db, key) : 0
    out.push({
      field: `quantities[${i}]`,
      sku,
      lotCode: q.lot,
      lotId,
      location,
      quantity: q.quantity,
      priceMinor: q.price === undefined ? undefined : toMinor(q.price),
      onHand,
      latestEvent: await findLatestStockEvent(db, key),
    })
  }
  return out
}
