/*
 * The load steps stock operations share: reads only, inside the write transaction (so what they read is
 * current), turning the codes and serials of a command into facts for its decide step.
 */
import { AppError, type ErrorCode } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { getSkuByCode, type Sku } from '../catalog/index.js'
import { getLocationByCode, type Location } from '../locations/index.js'
import { partyByCodeRead, type Party } from '../parties/index.js'
import { mapRead, type Read, runRead } from '../../db/reads-together.js'
import { findLotId } from '../lots/index.js'
import { findLatestStockEvent } from '../stock/index.js'
import { resolveUnits, type UnitRef } from '../units/index.js'
import type { QuantityFact, UnitFact } from './operations.rules.js'
import { withNestedContainers } from '../ledger/index.js'
import { availableOnHand, containerContents, loadPackedQuantities } from './container-contents.queries.js'

/** A unit as a request names it: a serial, or `{serial, sku}` (with a price on a sale). */
export type UnitInput = string | (UnitRef & { price?: number })

/** A request's unit references as `{serial, sku}`, keeping any extra fields (a sale's prices). */
export const refsOf = <R extends UnitRef>(units: readonly (string | R)[]): (UnitRef | R)[] =>
  units.map((u) => (typeof u === 'string' ? { serial: u } : u))

/** The ids of loaded units (or anything with an id), for the reads that take ids. */
export const idsOf = (items: readonly { id: string }[]): string[] => items.map((u) => u.id)

/**
 * The units a request names (refused when unknown, ambiguous or listed twice), then the contents of the
 * containers it names (nested ones included), each marked with the container that reached it.
 */
export async function loadUnits(
  db: Executor,
  units: readonly UnitInput[],
  containers: readonly string[] = [],
): Promise<UnitFact[]> {
  return unitsWith(db, units, await containerContents(db, containers))
}

async function unitsWith(
  db: Executor,
  units: readonly UnitInput[],
  packed: { refs: UnitRef[]; via: Map<string, string> },
): Promise<UnitFact[]> {
  const found = await resolveUnits(db, [...refsOf(units), ...packed.refs])
  return packed.via.size === 0
    ? found
    : found.map((u) => (packed.via.has(u.id) ? { ...u, viaContainer: packed.via.get(u.id) } : u))
}

/**
 * The units a request names and everything in the containers it names: their units (as `loadUnits`) and
 * their packed lot and quantity stock as quantity lines leaving where it is.
 */
export async function loadUnitsAndPacked(
  db: Executor,
  units: readonly UnitInput[],
  containers: readonly string[],
): Promise<{ units: UnitFact[]; packed: QuantityFact[] }> {
  const contents = await containerContents(db, containers)
  return { units: await unitsWith(db, units, contents), packed: await loadPackedQuantities(db, contents) }
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
  runRead(db, partyRead(db, code, role))

/** `loadParty` as a read that may go with others (`readTogether`). */
export const partyRead = (db: Executor, code: string, role: Party['role']): Read<Party> =>
  mapRead(partyByCodeRead(db, code, role), (party) => refuseArchived('party.archived', `${role}`, party))

/** A quantity line as requests give it (the location comes from the line or from the request). */
export interface QuantityInput {
  sku: string
  lot?: string
  quantity: number
  price?: number
}

/**
 * Loads each quantity line's SKU, lot, location, the latest event of that stock row and, for stock
 * leaving (`sign` -1), what is on hand there now: loose stock, plus what is packed in the `containers` the
 * command takes whole (stock packed in other containers is not the command's to take). A lot is looked up
 * only for a lot-tracked SKU; one that does not exist loads as undefined, for decide to refuse.
 */
export async function loadQuantities<Q extends QuantityInput>(
  db: Executor,
  inputs: readonly Q[],
  locationOf: (q: Q) => string,
  sign: 1 | -1,
  containers: readonly string[] = [],
): Promise<QuantityFact[]> {
  const out: QuantityFact[] = []
  const taken = inputs.length > 0 && sign < 0 ? await withNestedContainers(db, containers) : []
  for (const [i, q] of inputs.entries()) {
    const sku = await getSkuByCode(db, q.sku)
    const lotId = sku.tracking === 'lot' && q.lot ? await findLotId(db, sku.id, q.lot) : null
    const location = await loadActiveLocation(db, locationOf(q))
    const key = { skuId: sku.id, locationId: location.id, lotId: lotId ?? null }
    const onHand = sign < 0 ? await availableOnHand(db, key, taken) : 0
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
