import { type SelectQueryBuilder, sql } from 'kysely'
import type { Database, Executor } from '../../db/database.js'
import type { UnitEventType } from '../units/unit-status.rules.js'
import { finite, type GroupCounts, rankGroups } from './defects.rules.js'
import { FAILED_INSPECTION } from './quality.rules.js'
import { instant } from './recall.queries.js'
import { DIMENSIONS, type DefectQuery, type DefectReport, type DefectRow, type Dimension } from './quality.schemas.js'

/** The events by which a unit arrives at a location: "passed through" is read from these ledger lines. */
export const ARRIVALS: readonly UnitEventType[] = ['received', 'moved', 'transfer_received', 'returned', 'found']

const COLUMN = { supplier: 'u.supplier_id', receipt: 'u.receipt_id', lot: 'u.lot_id', sku: 'u.sku_id' } as const

interface Scope {
  from?: string
  to?: string
  skuIds?: string[]
}

/** Units failed by an inspection (once each), and units returned by a customer (once each). */
const failedUnits = (db: Executor) =>
  db
    .selectFrom('event_unit as fe')
    .innerJoin('event as fv', 'fv.seq', 'fe.event_seq')
    .select('fe.unit_id')
    .distinct()
    .where('fv.type', 'in', ['inspected', 'quarantined'])
    .where('fv.reason', '=', FAILED_INSPECTION)
const returnedUnits = (db: Executor) =>
  db
    .selectFrom('event_unit as re')
    .innerJoin('event as rv', 'rv.seq', 're.event_seq')
    .select('re.unit_id')
    .distinct()
    .where('rv.type', '=', 'returned')

/** Limits a query over `unit as u` to the units received in the period, of the SKUs asked. */
function inScope<Q extends SelectQueryBuilder<Database, any, any>>(q: Q, s: Scope): Q {
  let out = q as unknown as SelectQueryBuilder<Database & { u: Database['unit'] }, 'u', object>
  if (s.from) out = out.where('u.received_at', '>=', s.from)
  if (s.to) out = out.where('u.received_at', '<', s.to)
  if (s.skuIds) out = out.where('u.sku_id', 'in', s.skuIds)
  return out as unknown as Q
}

/**
 * Whether a unit (by an id column) is in the failed or the returned set: `in (subquery)`, which both
 * dialects evaluate once (SQLite as an ephemeral index, PostgreSQL as a hashed subplan).
 */
const hit = (db: Executor, column: string, set: 'failed' | 'returned') => {
  const units = set === 'failed' ? failedUnits(db) : returnedUnits(db)
  return sql<number>`case when ${sql.ref(column)} in (${units}) then 1 else 0 end`
}

type Counts = { key: string | null; units: number; defective: number; returned: number }

/**
 * Units, defective and returned units per value of each of the unit's own columns (supplier, receipt,
 * lot, SKU), from one scan of the units: grouped by all four at once (few combinations: a receipt has
 * one supplier and few lots), then summed per column here. Exact, since each unit is in one group.
 */
async function countsByColumns(db: Executor, s: Scope): Promise<Record<keyof typeof COLUMN, Counts[]>> {
  const q = db
    .selectFrom('unit as u')
    .select([
      'u.supplier_id as supplier',
      'u.receipt_id as receipt',
      'u.lot_id as lot',
      'u.sku_id as sku',
      (eb) => eb.fn.countAll<number>().as('units'),
      sql<number>`sum(${hit(db, 'u.id', 'failed')})`.as('defective'),
      sql<number>`sum(${hit(db, 'u.id', 'returned')})`.as('returned'),
    ])
    .groupBy(['u.supplier_id', 'u.receipt_id', 'u.lot_id', 'u.sku_id'])
  const groups = await inScope(q, s).execute()
  const out = {} as Record<keyof typeof COLUMN, Counts[]>
  for (const dim of Object.keys(COLUMN) as (keyof typeof COLUMN)[]) {
    const byKey = new Map<string | null, Counts>()
    for (const g of groups) {
      const key = g[dim]
      const c = byKey.get(key) ?? byKey.set(key, { key, units: 0, defective: 0, returned: 0 }).get(key)!
      c.units += Number(g.units)
      c.defective += Number(g.defective ?? 0)
      c.returned += Number(g.returned ?? 0)
    }
    out[dim] = [...byKey.values()]
  }
  return out
}

/** Units, defective and returned units per location the units arrived at (from the ledger's lines). */
async function countsByLocation(db: Executor, s: Scope) {
  const distinctHits = (set: 'failed' | 'returned') =>
    sql<number>`count(distinct case when ${hit(db, 'pe.unit_id', set)} = 1 then pe.unit_id end)`
  const q = db
    .selectFrom('event_unit as pe')
    .innerJoin('event as pv', 'pv.seq', 'pe.event_seq')
    .innerJoin('unit as u', 'u.id', 'pe.unit_id')
    .select([
      'pv.location_id as key',
      sql<number>`count(distinct pe.unit_id)`.as('units'),
      distinctHits('failed').as('defective'),
      distinctHits('returned').as('returned'),
    ])
    .where('pv.type', 'in', ARRIVALS)
    .where('pv.location_id', 'is not', null)
    .groupBy('pv.location_id')
  return (await inScope(q, s).execute()).map((r) => ({
    key: r.key,
    units: Number(r.units),
    defective: Number(r.defective),
    returned: Number(r.returned),
  }))
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
  const columns = await countsByColumns(db, s)
  const sum = (k: 'units' | 'defective' | 'returned') => columns.sku.reduce((n, c) => n + c[k], 0)
  const totals = { units: sum('units'), defective: sum('defective'), returned: sum('returned') }
  const rows: DefectRow[] = []
  for (const dim of q.dimension ? [q.dimension] : DIMENSIONS) {
    const counts = dim === 'location' ? await countsByLocation(db, s) : columns[dim]
    const names = await labels(
      db,
      dim,
      counts.flatMap((c) => (c.key === null ? [] : [c.key])),
    )
    const groups: GroupCounts[] = counts.map((c) => ({
      ...c,
      label: c.key === null ? '(none)' : (names.get(c.key) ?? c.key),
    }))
    for (const r of rankGroups(groups, totals, q.measure, q.minUnits))
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
