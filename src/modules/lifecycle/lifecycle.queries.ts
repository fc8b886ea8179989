import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { lineTakes } from '../ledger/index.js'
import type { SkuTrackRecord } from './advisor.rules.js'
import { lifecycleStage, type StageEvidence, type StageSettings, weekOf, type WeeklySales } from './stage.rules.js'

/**
 * Units sold per SKU and week, net of returns (a sale that came back was not demand), from the ledger's
 * sale and return events (unit lines and quantity lines), as `WeeklySales` per SKU id. A returned unit is
 * taken off the week it was sold in (its latest sale before the return); a returned quantity, which names
 * no sale, off the week of its return; no week goes below zero. Grouped by day in SQL (portable: business
 * times are ISO-8601 text), by week here.
 */
export async function weeklySales(db: Executor, skuIds?: readonly string[]): Promise<Map<string, WeeklySales[]>> {
  const only = (col: string) =>
    skuIds === undefined
      ? sql``
      : skuIds.length === 0
        ? sql`and 1 = 0`
        : sql`and ${sql.ref(col)} in (${sql.join(skuIds)})`
  const { rows } = await sql<{ sku_id: string; day: string; n: number | string }>`
    select eu.sku_id, substr(e.occurred_at, 1, 10) as day, count(*) as n
    from event e join event_unit eu on eu.event_seq = e.seq
    where e.type = 'sold' ${only('eu.sku_id')}
    group by eu.sku_id, substr(e.occurred_at, 1, 10)
    union all
    select eu.sku_id, substr(s.occurred_at, 1, 10) as day, -count(*) as n
    from event e join event_unit eu on eu.event_seq = e.seq
    join event s on s.seq = (
      -- each earlier line's event by its key, never a walk of the sold events (see documents.queries.ts)
      select max(pu.event_seq) from event_unit pu
      where pu.unit_id = eu.unit_id and pu.event_seq < e.seq
        and (select ps.type from event ps where ps.seq = pu.event_seq) = 'sold')
    where e.type = 'returned' ${only('eu.sku_id')}
    group by eu.sku_id, substr(s.occurred_at, 1, 10)
    union all
    select eq.sku_id, substr(e.occurred_at, 1, 10) as day, sum(-eq.delta) as n
    from event e join event_quantity eq on eq.event_seq = e.seq
    where e.type in ('sold', 'returned') ${only('eq.sku_id')}
    group by eq.sku_id, substr(e.occurred_at, 1, 10)`.execute(db)
  const bySku = new Map<string, Map<string, number>>()
  for (const r of rows) {
    const weeks = bySku.get(r.sku_id) ?? bySku.set(r.sku_id, new Map()).get(r.sku_id)!
    const week = weekOf(`${r.day}T00:00:00Z`)
    weeks.set(week, (weeks.get(week) ?? 0) + Number(r.n))
  }
  return new Map(
    [...bySku].map(([id, weeks]) => [
      id,
      [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([week, units]) => ({ week, units: Math.max(0, units) })),
    ]),
  )
}

/** Each SKU's own stage thresholds (all SKUs that set some, or these), by SKU id: its life-cycle settings. */
export async function stageSettings(
  db: Executor,
  skuIds?: readonly string[],
): Promise<Map<string, Partial<StageSettings>>> {
  if (skuIds?.length === 0) return new Map()
  const rows = await db
    .selectFrom('sku')
    .select(['id', 'lifecycle_settings'])
    .where('lifecycle_settings', 'is not', null)
    .$if(skuIds !== undefined, (q) => q.where('id', 'in', [...skuIds!]))
    .execute()
  return new Map(
    rows.map((r) => [r.id, (JSON.parse(r.lifecycle_settings!) as { stage?: Partial<StageSettings> }).stage ?? {}]),
  )
}

/** The life-cycle stage of each SKU (all, or these) as of `asOf`, by its own thresholds, with its evidence. */
export async function skuStages(
  db: Executor,
  asOf: Date,
  skuIds?: readonly string[],
): Promise<Map<string, StageEvidence>> {
  const sales = await weeklySales(db, skuIds)
  const ids = skuIds ?? [...sales.keys()]
  const settings = await stageSettings(db, ids)
  return new Map(ids.map((id) => [id, lifecycleStage(sales.get(id) ?? [], asOf, settings.get(id))]))
}

/** Per SKU and supplier: units received and sold, mean days from receipt to sale, returns and repairs. */
export interface UnitLifecycleRow {
  skuId: string
  supplierId: string | null
  received: number
  sold: number
  meanDaysToSale: number | null
  returns: number
  repairs: number
}

/**
 * The unit life-cycle report: for each SKU and supplier, how long units took from receipt to sale and
 * how many came back (returns) or went to repair (any `repair_*` event, once the warranty capability writes them).
 */
export async function unitLifecycle(db: Executor, sku?: string): Promise<UnitLifecycleRow[]> {
  const skuFilter = sku ? sql`and u.sku_id = (select id from sku where code = ${sku})` : sql``
  const sold = await sql<{ sku_id: string; supplier_id: string | null; received_at: string; sold_at: string | null }>`
    select u.sku_id, u.supplier_id, u.received_at, u.sold_at from unit u where 1 = 1 ${skuFilter}`.execute(db)
  const events = await sql<{ sku_id: string; supplier_id: string | null; type: string; n: number | string }>`
    select u.sku_id, u.supplier_id, case when e.type = 'returned' then 'returned' else 'repair' end as type,
      count(*) as n
    from event e join event_unit eu on eu.event_seq = e.seq join unit u on u.id = eu.unit_id
    where (e.type = 'returned' or e.type like 'repair%') ${skuFilter}
    group by 1, 2, 3`.execute(db)
  const rows = new Map<string, UnitLifecycleRow & { days: number }>()
  const rowOf = (skuId: string, supplierId: string | null) => {
    const key = `${skuId}|${supplierId ?? ''}`
    return (
      rows.get(key) ??
      rows
        .set(key, { skuId, supplierId, received: 0, sold: 0, meanDaysToSale: null, returns: 0, repairs: 0, days: 0 })
        .get(key)!
    )
  }
  for (const u of sold.rows) {
    const row = rowOf(u.sku_id, u.supplier_id)
    row.received++
    if (!u.sold_at) continue
    row.sold++
    row.days += (Date.parse(u.sold_at) - Date.parse(u.received_at)) / 86_400_000
  }
  for (const e of events.rows) {
    const row = rowOf(e.sku_id, e.supplier_id)
    if (e.type === 'returned') row.returns += Number(e.n)
    else row.repairs += Number(e.n)
  }
  return [...rows.values()].map(({ days, ...r }) => ({
    ...r,
    meanDaysToSale: r.sold > 0 ? Math.round((days / r.sold) * 10) / 10 : null,
  }))
}

/** Each SKU's track record for the advisor: received, sold, returned, lost and warranty-claimed, all time. */
export async function trackRecords(db: Executor): Promise<SkuTrackRecord[]> {
  // A count's close posts its losses as its own lines (the units it names lost, its negative quantities).
  const kinds = sql`case when e.type like 'warranty_claim%' then 'claims'
    when e.type = 'count_closed' then 'lost' else e.type end`
  const wanted = sql`(e.type in ('received', 'sold', 'returned') or e.type like 'warranty_claim%')`
  const { rows } = await sql<{ sku_id: string; kind: string; n: number | string }>`
    select eu.sku_id, ${kinds} as kind, count(*) as n
    from event e join event_unit eu on eu.event_seq = e.seq where ${wanted} or ${lineTakes(['lost'])} group by 1, 2
    union all
    select eq.sku_id, ${kinds} as kind, sum(abs(eq.delta)) as n
    from event e join event_quantity eq on eq.event_seq = e.seq
    where ${wanted} or e.type = 'lost' or (e.type = 'count_closed' and eq.delta < 0) group by 1, 2`.execute(db)
  const skus = await db
    .selectFrom('sku')
    .select(['id', 'code', 'name', 'tracking', 'price_minor', 'warranty_months'])
    .where('archived_at', 'is', null)
    .execute()
  const records = new Map<string, SkuTrackRecord>(
    skus.map((s) => [
      s.id,
      {
        code: s.code,
        name: s.name,
        tracking: s.tracking as SkuTrackRecord['tracking'],
        priceMinor: Number(s.price_minor),
        warrantyMonths: s.warranty_months,
        received: 0,
        sold: 0,
        returned: 0,
        lost: 0,
        claims: 0,
      },
    ]),
  )
  for (const r of rows) {
    const rec = records.get(r.sku_id)
    if (rec) rec[r.kind as 'received' | 'sold' | 'returned' | 'lost' | 'claims'] += Number(r.n)
  }
  return [...records.values()]
}
