import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { countUnits, type Place, type Scope, type UnitGroup } from './defect-counts.queries.js'
import { finite, type GroupCounts, rankGroups } from './defects.rules.js'
import { instant } from './recall.queries.js'
import { DIMENSIONS, type DefectQuery, type DefectReport, type DefectRow, type Dimension } from './quality.schemas.js'

export { ARRIVALS } from './defect-counts.queries.js'

type Counts = { key: string | null; units: number; defective: number; returned: number }

/** Sums the unit groups per value of one of their columns (each unit is in one group, so this is exact). */
function sumBy(groups: readonly UnitGroup[], column: 'supplier' | 'receipt' | 'lot' | 'sku'): Counts[] {
  const byKey = new Map<string | null, Counts>()
  for (const g of groups) {
    const key = g[column]
    const c = byKey.get(key) ?? byKey.set(key, { key, units: 0, defective: 0, returned: 0 }).get(key)!
    c.units += g.units
    c.defective += g.defective
    c.returned += g.returned
  }
  return [...byKey.values()]
}

/** A readable name for each key of a dimension. */
async function labels(db: Executor, dim: Dimension, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map()
  const rows =
    dim === 'supplier'
      ? await db.selectFrom('party').select(['id', 'code as label']).where('id', 'in', keys).execute()
      : dim === 'receipt'
        ? await db.selectFrom('document').select(['id', 'number as label']).where('id', 'in', keys).execute()
        : dim === 'lot'
          ? await db
              .selectFrom('lot')
              .innerJoin('sku', 'sku.id', 'lot.sku_id')
              .select(['lot.id', sql<string>`sku.code || ' ' || lot.code`.as('label')])
              .where('lot.id', 'in', keys)
              .execute()
          : dim === 'sku'
            ? await db.selectFrom('sku').select(['id', 'code as label']).where('id', 'in', keys).execute()
            : await db.selectFrom('location').select(['id', 'code as label']).where('id', 'in', keys).execute()
  return new Map(rows.map((r) => [r.id, r.label]))
}

/**
 * Defect and return rates per supplier, receipt, lot, SKU and location passed through, for the units
 * received in the period (and of the SKUs) asked; each dimension ranked, the likely culprit first.
 */
export async function defectReport(db: Executor, q: DefectQuery): Promise<DefectReport> {
  let skuIds: string[] | undefined
  if (q.skus?.length)
    skuIds = (await db.selectFrom('sku').select('id').where('code', 'in', q.skus).execute()).map((r) => r.id)
  const s: Scope = { from: instant(q.from), to: instant(q.to), skuIds }
  const dims: readonly Dimension[] = q.dimension ? [q.dimension] : DIMENSIONS
  const places = dims.filter((d): d is Place => d === 'location' || d === 'site')
  const { groups, places: byPlace } = await countUnits(db, s, places)
  const sum = (k: 'units' | 'defective' | 'returned') => groups.reduce((n, g) => n + g[k], 0)
  const totals = { units: sum('units'), defective: sum('defective'), returned: sum('returned') }
  const rows: DefectRow[] = []
  for (const dim of dims) {
    const counts = dim === 'location' || dim === 'site' ? byPlace.get(dim)! : sumBy(groups, dim)
    const names = await labels(
      db,
      dim,
      counts.flatMap((c) => (c.key === null ? [] : [c.key])),
    )
    const ranked: GroupCounts[] = counts.map((c) => ({
      ...c,
      label: c.key === null ? '(none)' : (names.get(c.key) ?? c.key),
    }))
    for (const r of rankGroups(ranked, totals, q.measure, q.minUnits))
      rows.push({ ...r, dimension: dim, lift: finite(r.lift) })
  }
  return { ...totals, measure: q.measure, rows }
}

export const DEFECT_COLUMNS = [
  'dimension',
  'label',
  'units',
  'defective',
  'returned',
  'rate',
  'low',
  'high',
  'lift',
  'returnRate',
  'tooFew',
] as const

/** The report's rows as CSV records (rates to 6 decimals). */
export const defectCsvRows = (r: DefectReport) =>
  r.rows.map((row) => ({
    dimension: row.dimension,
    label: row.label,
    units: row.units,
    defective: row.defective,
    returned: row.returned,
    rate: row.rate.toFixed(6),
    low: row.low.toFixed(6),
    high: row.high.toFixed(6),
    lift: row.lift === null ? '' : row.lift.toFixed(4),
    returnRate: row.returnRate.toFixed(6),
    tooFew: row.tooFew ? 'yes' : 'no',
  }))
