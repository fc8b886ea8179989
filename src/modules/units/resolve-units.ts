import type { Executor } from '../../db/database.js'
import { getSkusByIds, serialRuleOf, type Sku } from '../catalog/index.js'
import { identifyUnits, serialCandidates, type UnitRef } from './resolve-units.rules.js'
import type { UnitFact } from './unit-status.rules.js'
import { findUnitsBySerials } from './unit.repository.js'

/** Finds the units a command names, in one batched query (see `identifyUnits` for the matching rules). */
export async function resolveUnits(db: Executor, refs: readonly UnitRef[], field = 'units'): Promise<UnitFact[]> {
  return (await resolveUnitsAndSkus(db, refs, field)).units
}

/** `resolveUnits`, also handing back the SKUs of the units found (loaded for their serial rules anyway). */
export async function resolveUnitsAndSkus(
  db: Executor,
  refs: readonly UnitRef[],
  field = 'units',
): Promise<{ units: UnitFact[]; skus: Map<string, Sku> }> {
  const rows = await findUnitsBySerials(db, serialCandidates(refs))
  const skus = await getSkusByIds(
    db,
    rows.map((r) => r.skuId),
  )
  const rules = new Map([...skus].map(([id, sku]) => [id, serialRuleOf(sku)]))
  const gtins = new Map([...skus].map(([id, sku]) => [id, sku.gtin]))
  return { units: identifyUnits(refs, rows, rules, field, gtins), skus }
}
