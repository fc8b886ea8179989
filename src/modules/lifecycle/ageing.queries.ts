import { type RawBuilder, sql } from 'kysely'
import { fromMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { type AgeBasis, bucketCutoffs, bucketLabels } from './ageing.rules.js'

/** What the ageing report groups by. */
export const AGEING_DIMENSIONS = ['sku', 'location', 'supplier'] as const
export type AgeingDimension = (typeof AGEING_DIMENSIONS)[number]

export interface AgeingRow {
  /** Code of the SKU, location or supplier (`-` when a lot has no supplier). */
  code: string
  name: string
  /** `unit`: serial-tracked units; `lot`: quantity stock aged by its lot's receipt. */
  kind: 'unit' | 'lot'
  counts: number[]
  values: number[]
  units: number
  value: number
}

export interface AgeingReport {
  asOf: string
  basis: AgeBasis
  by: AgeingDimension
  buckets: string[]
  rows: AgeingRow[]
  totals: { counts: number[]; values: number[] }
}

const UNIT_START: Record<AgeBasis, RawBuilder<string>> = {
  receipt: sql`u.received_at`,
  stock: sql`coalesce(u.back_in_stock_at, u.received_at)`,
  location: sql`coalesce(u.located_at, u.received_at)`,
}
const UNIT_KEY: Record<AgeingDimension, RawBuilder<string>> = {
  sku: sql`u.sku_id`,
  location: sql`u.location_id`,
  supplier: sql`u.supplier_id`,
}
const LOT_KEY: Record<AgeingDimension, RawBuilder<string | null>> = {
  sku: sql`st.sku_id`,
  location: sql`st.location_id`,
  supplier: sql`null`,
}

/** `case when start > cutoff0 then 0 when start > cutoff1 then 1 … else n end`: the bucket, set-based. */
function bucketOf(start: RawBuilder<string>, cutoffs: readonly string[]): RawBuilder<number> {
  const whens = cutoffs.map((c, i) => sql`when ${start} > ${c} then ${i}`)
  return sql<number>`case ${sql.join(whens, sql` `)} else ${cutoffs.length} end`
}

type PivotRow = { k: string | null } & Record<string, number | string | null>

/** `sum(case when b = 0 then 1 else 0 end) as n0, sum(case when b = 0 then c end) as v0, …` per bucket. */
const pivotColumns = (width: number) =>
  sql.join(
    Array.from(
      { length: width },
      (_, i) => sql`sum(case when b = ${i} then 1 else 0 end) as ${sql.ref(`n${i}`)},
        sum(case when b = ${i} then c else 0 end) as ${sql.ref(`v${i}`)}`,
    ),
  )

/** Pivoted rows back to one row per key and bucket (empty buckets left out). */
const unpivot = (result: { rows: PivotRow[] }, width: number) =>
  result.rows.flatMap((r) =>
    Array.from({ length: width }, (_, b) => ({ k: r.k, b, n: r[`n${b}`] ?? 0, v: r[`v${b}`] ?? 0 })).filter(
      (x) => Number(x.n) > 0,
    ),
  )

/**
 * Ages in-stock units (and quantity stock by lot) into buckets as of `asOf`, with counts and value at
 * cost per SKU, location or supplier: one GROUP BY over the unit projection (no per-unit work).
 */
export async function ageingReport(
  db: Executor,
  q: { asOf: Date; basis: AgeBasis; by: AgeingDimension; bounds: readonly number[]; sku?: string },
): Promise<AgeingReport> {
  const cutoffs = bucketCutoffs(q.bounds, q.asOf)
  const width = cutoffs.length + 1
  // Buckets as columns (one sum per bucket) and one group per key: grouping by the key alone lets the
  // database walk an index in key order instead of sorting every unit by (key, bucket).
  const units = unpivot(
    await sql<PivotRow>`
      select k, ${pivotColumns(width)}
      from (
        select ${UNIT_KEY[q.by]} as k, ${bucketOf(UNIT_START[q.basis], cutoffs)} as b,
          coalesce(u.cost_minor, s.cost_minor) as c
        from unit u join sku s on s.id = u.sku_id
        where u.status = 'in_stock' ${q.sku ? sql`and s.code = ${q.sku}` : sql``}
      ) x
      group by k`.execute(db),
    width,
  )
  // Lot stock has no per-unit dates: its age is the lot's (created at its first receipt).
  const lots = await sql<{ k: string | null; b: number; n: number | string; v: number | string | null }>`
    select ${LOT_KEY[q.by]} as k, ${bucketOf(sql`l.created_at`, cutoffs)} as b, sum(st.quantity) as n,
      sum(st.quantity * s.cost_minor) as v
    from stock st join lot l on l.id = st.lot_id join sku s on s.id = st.sku_id
    where st.quantity > 0 ${q.sku ? sql`and s.code = ${q.sku}` : sql``}
    group by 1, 2`.execute(db)
  const names = await namesOf(
    db,
    q.by,
    [...units, ...lots.rows].map((r) => r.k),
  )
  const rows = new Map<string, AgeingRow>()
  const totals = { counts: Array<number>(width).fill(0), values: Array<number>(width).fill(0) }
  for (const [kind, result] of [
    ['unit', units],
    ['lot', lots.rows],
  ] as const)
    for (const r of result) {
      const key = `${kind}:${r.k ?? '-'}`
      const name = r.k ? names.get(r.k) : undefined
      const row =
        rows.get(key) ??
        rows
          .set(key, {
            code: name?.code ?? '-',
            name: name?.name ?? '(none)',
            kind,
            counts: Array<number>(width).fill(0),
            values: Array<number>(width).fill(0),
            units: 0,
            value: 0,
          })
          .get(key)!
      const [n, v] = [Number(r.n), Number(r.v ?? 0)]
      const b = Number(r.b)
      row.counts[b]! += n
      row.values[b]! += v
      row.units += n
      row.value += v
      totals.counts[b]! += n
      totals.values[b]! += v
    }
  const major = (xs: number[]) => xs.map((x) => fromMinor(x) ?? 0)
  return {
    asOf: q.asOf.toISOString(),
    basis: q.basis,
    by: q.by,
    buckets: bucketLabels(q.bounds),
    rows: [...rows.values()]
      .sort((a, b) => b.value - a.value || a.code.localeCompare(b.code))
      .map((r) => ({ ...r, values: major(r.values), value: fromMinor(r.value) ?? 0 })),
    totals: { counts: totals.counts, values: major(totals.values) },
  }
}

/** Codes and names of the SKUs, locations or parties with these ids. */
async function namesOf(
  db: Executor,
  by: AgeingDimension,
  ids: readonly (string | null)[],
): Promise<Map<string, { code: string; name: string }>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))]
  if (wanted.length === 0) return new Map()
  const table = by === 'sku' ? 'sku' : by === 'location' ? 'location' : 'party'
  const out = new Map<string, { code: string; name: string }>()
  for (let i = 0; i < wanted.length; i += 1000) {
    const rows = await db
      .selectFrom(table)
      .select(['id', 'code', 'name'])
      .where('id', 'in', wanted.slice(i, i + 1000))
      .execute()
    for (const r of rows) out.set(r.id, { code: r.code, name: r.name })
  }
  return out
}
