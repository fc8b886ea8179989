import type { Executor } from '../../db/database.js'
import { serialRuleOf, type Sku } from '../catalog/index.js'
import { identifyUnits, serialCandidates, type UnitRef } from './resolve-units.rules.js'
import type { UnitFact } from './unit-status.rules.js'
import { unitsAndSkusBySerialsRead } from './unit.repository.js'
import { mapRead, runRead } from '../../db/reads-together.js'

/** Finds the units a command names, in one batched query (see `identifyUnits` for the matching rules). */
export async function resolveUnits(db: Executor, refs: readonly UnitRef[], field = 'units'): Promise<UnitFact[]> {
  return (await resolveUnitsAndSkus(db, refs, field)).units
}

/** `resolveUnits`, also handing back the SKUs of the units found (read with them, for their serial rules). */
export async function resolveUnitsAndSkus(
  db: Executor,
  refs: readonly UnitRef[],
  field = 'units',
): Promise<{ units: UnitFact[]; skus: Map<string, Sku> }> {
  return runRead(db, resolveUnitsAndSkusRead(db, refs, field))
}

/** `resolveUnitsAndSkus` as a read that may go with others (`readTogether`). */
export const resolveUnitsAndSkusRead = (db: Executor, refs: readonly UnitRef[], field = 'units') =>
  mapRead(unitsAndSkusBySerialsRead(db, serialCandidates(refs)), ({ units: rows, skus }) => {
    const rules = new Map([...skus].map(([id, sku]) => [id, serialRuleOf(sku)]))
    const gtins = new Map([...skus].map(([id, sku]) => [id, sku.gtin]))
    return { units: identifyUnits(refs, rows, rules, field, gtins), skus }
  })
