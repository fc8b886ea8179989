import { stringify } from 'csv-stringify/sync'
import type { Executor } from '../../db/database.js'
import { adviseSkus } from './advisor.rules.js'
import { ageingReport } from './ageing.queries.js'
import { DEFAULT_BUCKETS, parseBuckets } from './ageing.rules.js'
import { trackRecords, unitLifecycle } from './lifecycle.queries.js'
import type { AgeingQuery } from './lifecycle.schemas.js'

/** The ageing report for a query (buckets parsed, refused with the bad value; one SKU's: its own buckets). */
export const ageingView = async (db: Executor, q: AgeingQuery, now: Date) =>
  ageingReport(db, {
    asOf: q.asOf ? new Date(q.asOf) : now,
    basis: q.basis,
    by: q.by,
    bounds: q.buckets === undefined && q.sku ? await skuBuckets(db, q.sku) : parseBuckets(q.buckets),
    sku: q.sku,
  })

/** The ageing buckets of one SKU: its own (its life-cycle settings), else the defaults. */
async function skuBuckets(db: Executor, code: string): Promise<number[]> {
  const row = await db.selectFrom('sku').select('lifecycle_settings').where('code', '=', code).executeTakeFirst()
  const own = row?.lifecycle_settings ? (JSON.parse(row.lifecycle_settings) as { ageingBuckets?: number[] }) : {}
  return own.ageingBuckets ?? [...DEFAULT_BUCKETS]
}

/** The ageing report flattened for CSV: one row per group and bucket. */
export async function ageingCsvRows(db: Executor, q: AgeingQuery, now: Date) {
  const r = await ageingView(db, q, now)
  return r.rows.flatMap((row) =>
    r.buckets.map((bucket, i) => ({
      [r.by]: row.code,
      name: row.name,
      kind: row.kind,
      bucket,
      units: row.counts[i],
      valueAtCost: row.values[i],
    })),
  )
}

/** The unit life-cycle report with SKU and supplier codes. */
export async function unitLifecycleView(db: Executor, sku?: string) {
  const rows = await unitLifecycle(db, sku)
  const codes = new Map<string, string>()
  for (const t of ['sku', 'party'] as const)
    for (const r of await db.selectFrom(t).select(['id', 'code']).execute()) codes.set(r.id, r.code)
  return rows
    .map((r) => ({
      sku: codes.get(r.skuId) ?? r.skuId,
      supplier: r.supplierId ? (codes.get(r.supplierId) ?? r.supplierId) : '-',
      received: r.received,
      sold: r.sold,
      meanDaysToSale: r.meanDaysToSale,
      returns: r.returns,
      repairs: r.repairs,
    }))
    .sort((a, b) => a.sku.localeCompare(b.sku) || a.supplier.localeCompare(b.supplier))
}

/** The advisor's ranked list. */
export const advisorView = async (db: Executor) => adviseSkus(await trackRecords(db))

/*
 * The reports as CSV text, a header then one row per line: what the API's `.csv` routes and the CLI's
 * `report ageing|lifecycle|advisor` write.
 */
const csv = (rows: object[]) => stringify(rows, { header: true })
export const ageingCsv = async (db: Executor, q: AgeingQuery, now: Date) => csv(await ageingCsvRows(db, q, now))
export const unitLifecycleCsv = async (db: Executor, sku?: string) => csv(await unitLifecycleView(db, sku))
/** The advisor's list, each SKU's reasons joined by `; `. */
export const advisorCsv = async (db: Executor) =>
  csv((await advisorView(db)).map((a) => ({ ...a, reasons: a.reasons.join('; ') })))
