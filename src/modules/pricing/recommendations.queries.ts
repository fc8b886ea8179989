import { type RawBuilder, sql } from 'kysely'
import { fromMinor } from '../../core/money.js'
import type { Executor } from '../../db/database.js'
import { stageSettings, weeklySales } from '../lifecycle/index.js'
import { type MarkdownPolicy, type PriceFacts, recommendPrice, type SkuSignals, skuSignals } from './markdown.rules.js'
import { policiesByGroup } from './policies.repository.js'
import { onHandBySku } from './pricing.queries.js'
import type { RecommendationsResponse } from './pricing.schemas.js'

const DAY_MS = 86_400_000

/** Units grouped by what the rules look at: SKU, current price, cost, age band and recent markdowns. */
interface GroupRow {
  sku_id: string
  cur: number | string
  cost: number | string
  band: number | string
  marked: number | string
  n: number | string
}

const START = sql`coalesce(u.back_in_stock_at, u.received_at)`

/** The age band of a unit: how many of the policy's age thresholds (ascending) it has reached. */
function bandOf(thresholds: readonly number[], asOf: Date): RawBuilder<number> {
  if (thresholds.length === 0) return sql<number>`0`
  const whens = thresholds
    .map((t, i) => ({ t, i }))
    .reverse()
    .map(({ t, i }) => sql`when ${START} <= ${new Date(asOf.getTime() - t * DAY_MS).toISOString()} then ${i + 1}`)
  return sql<number>`case ${sql.join(whens, sql` `)} else 0 end`
}

/** The units a markdown marked down in the cap's period, with how many times. */
const recentMarkdowns = (since: string, asOf: Date) => sql`(
  select eu.unit_id, count(*) as n from event e join event_unit eu on eu.event_seq = e.seq
  where e.type = 'price_changed' and e.reason = 'markdown'
    and e.occurred_at > ${since} and e.occurred_at <= ${asOf.toISOString()}
  group by eu.unit_id)`

/**
 * The units of a SKU group grouped by every input of the rules (SKU, current price, cost, age band,
 * recent markdowns). First one pass grouped by SKU alone, age bands as columns (an index walk, no sort):
 * a SKU whose units share one price and cost and carry no recent markdown is done; only the others are
 * grouped by every input.
 */
async function groupRows(db: Executor, policy: MarkdownPolicy, thresholds: number[], asOf: Date, sku?: string) {
  const since = new Date(asOf.getTime() - policy.cap.periodDays * DAY_MS).toISOString()
  const bands = thresholds.length + 1
  const onlySku = sku ? sql`and s.code = ${sku}` : sql``
  const scope = sql`u.status = 'in_stock' and s.sku_group = ${policy.skuGroup} ${onlySku}`
  const counts = sql.join(
    Array.from({ length: bands }, (_, i) => sql`sum(case when band = ${i} then 1 else 0 end) as ${sql.ref(`n${i}`)}`),
  )
  const { rows: bySku } = await sql<Record<string, number | string> & { sku_id: string }>`
    select sku_id, min(cur) as cur_lo, max(cur) as cur_hi, min(cost) as cost_lo, max(cost) as cost_hi,
      sum(marked) as marked, ${counts}
    from (
      select u.sku_id, coalesce(u.list_price_minor, s.price_minor) as cur, coalesce(u.cost_minor, s.cost_minor) as cost,
        ${bandOf(thresholds, asOf)} as band, case when m.unit_id is null then 0 else 1 end as marked
      from unit u join sku s on s.id = u.sku_id left join ${recentMarkdowns(since, asOf)} m on m.unit_id = u.id
      where ${scope}
    ) x
    group by sku_id`.execute(db)
  const uniform = bySku.filter((r) => r.cur_lo === r.cur_hi && r.cost_lo === r.cost_hi && Number(r.marked) === 0)
  const rows: GroupRow[] = uniform.flatMap((r) =>
    Array.from({ length: bands }, (_, band) => ({
      sku_id: r.sku_id,
      cur: r.cur_lo!,
      cost: r.cost_lo!,
      band,
      marked: 0,
      n: r[`n${band}`] ?? 0,
    })).filter((g) => Number(g.n) > 0),
  )
  const mixed = bySku.filter((r) => !uniform.includes(r)).map((r) => r.sku_id)
  if (mixed.length === 0) return rows
  const { rows: detailed } = await sql<GroupRow>`
    select u.sku_id, coalesce(u.list_price_minor, s.price_minor) as cur, coalesce(u.cost_minor, s.cost_minor) as cost,
      ${bandOf(thresholds, asOf)} as band, coalesce(m.n, 0) as marked, count(*) as n
    from unit u join sku s on s.id = u.sku_id left join ${recentMarkdowns(since, asOf)} m on m.unit_id = u.id
    where ${scope} and u.sku_id in (${sql.join(mixed)})
    group by 1, 2, 3, 4, 5`.execute(db)
  return [...rows, ...detailed]
}

/** Up to 100 serials of a line: its SKU, current price and age band. */
async function sampleSerials(
  db: Executor,
  skuId: string,
  curMinor: number,
  band: { from?: string; to?: string },
): Promise<string[]> {
  const { rows } = await sql<{ serial: string }>`
    select u.serial from unit u join sku s on s.id = u.sku_id
    where u.sku_id = ${skuId} and u.status = 'in_stock' and coalesce(u.list_price_minor, s.price_minor) = ${curMinor}
      ${band.to ? sql`and ${START} <= ${band.to}` : sql``} ${band.from ? sql`and ${START} > ${band.from}` : sql``}
    limit 100`.execute(db)
  // No ORDER BY: the scan stops at the hundredth match instead of sorting every unit of the SKU.
  return rows.map((r) => r.serial).sort()
}

/**
 * The markdown (and price-rise) recommendations as of `asOf`: per SKU, current and suggested price,
 * the units, and the value at stake; rules the cap blocks now are listed apart. Set-based: one GROUP
 * BY per SKU group, the rules applied once per group of identical units.
 */
export async function recommendations(
  db: Executor,
  q: { asOf: Date; sku?: string; serials?: boolean },
): Promise<RecommendationsResponse> {
  const at = q.asOf.toISOString()
  const lines: RecommendationsResponse['lines'] = []
  const capped = new Map<string, { sku: string; units: number; reason: string }>()
  const skus = new Map(
    (
      await db
        .selectFrom('sku')
        .select(['id', 'code', 'name', 'price_minor', 'below_cost_allowed'])
        .where('sku_group', 'is not', null)
        .execute()
    ).map((s) => [s.id, s]),
  )
  for (const policy of (await policiesByGroup(db)).values()) {
    const thresholds = [...new Set(policy.rules.flatMap((r) => (r.minAgeDays === undefined ? [] : [r.minAgeDays])))]
    thresholds.sort((a, b) => a - b)
    const rows = await groupRows(db, policy, thresholds, q.asOf, q.sku)
    const ids = [...new Set(rows.map((r) => r.sku_id))]
    const [sales, onHand, settings] = [
      await weeklySales(db, ids),
      await onHandBySku(db, ids),
      await stageSettings(db, ids),
    ]
    const signals = new Map<string, SkuSignals>(
      ids.map((id) => [id, skuSignals(sales.get(id) ?? [], onHand.get(id) ?? 0, q.asOf, settings.get(id))]),
    )
    const merged = new Map<string, RecommendationsResponse['lines'][number] & { skuId: string; band: number }>()
    for (const r of rows) {
      const band = Number(r.band)
      const sku = skus.get(r.sku_id)!
      const facts: PriceFacts = {
        listMinor: Number(sku.price_minor),
        currentMinor: Number(r.cur),
        costMinor: Number(r.cost),
        belowCostAllowed: Number(sku.below_cost_allowed ?? 0) === 1,
        markdownTimes: Array<string>(Number(r.marked)).fill(at),
      }
      const age = band === 0 ? 0 : thresholds[band - 1]!
      const s = signals.get(r.sku_id)!
      const rec = recommendPrice(facts, age, s, policy, at)
      if (!rec) {
        const blocked = recommendPrice({ ...facts, markdownTimes: [] }, age, s, policy, at)
        if (blocked?.action === 'discount') {
          const c = capped.get(sku.code) ?? capped.set(sku.code, { sku: sku.code, units: 0, reason: '' }).get(sku.code)!
          c.units += Number(r.n)
          const { periodDays, maxMarkdowns } = policy.cap
          c.reason = `marked down ${r.marked} time(s) in the last ${periodDays} days (cap: ${maxMarkdowns})`
        }
        continue
      }
      const key = `${r.sku_id}|${rec.action}|${r.cur}|${rec.suggestedMinor}|${band}`
      const line =
        merged.get(key) ??
        merged
          .set(key, {
            skuId: r.sku_id,
            band,
            sku: sku.code,
            skuName: sku.name,
            skuGroup: policy.skuGroup,
            stage: s.stage,
            action: rec.action,
            currentPrice: fromMinor(Number(r.cur))!,
            suggestedPrice: fromMinor(rec.suggestedMinor)!,
            units: 0,
            valueAtStake: 0,
            reason: rec.reason,
            serials: [],
          })
          .get(key)!
      line.units += Number(r.n)
      line.valueAtStake =
        fromMinor(Math.abs(rec.suggestedMinor - Number(r.cur)) * line.units)! *
        Math.sign(rec.suggestedMinor - Number(r.cur))
    }
    for (const line of merged.values()) {
      if (q.serials !== false) {
        const dayCut = (i: number) => new Date(q.asOf.getTime() - thresholds[i]! * DAY_MS).toISOString()
        const range = {
          to: line.band > 0 ? dayCut(line.band - 1) : undefined,
          from: line.band < thresholds.length ? dayCut(line.band) : undefined,
        }
        line.serials = await sampleSerials(db, line.skuId, Math.round(line.currentPrice * 100), range)
      }
      const { skuId: _id, band: _band, ...out } = line
      lines.push(out)
    }
  }
  lines.sort((a, b) => a.valueAtStake - b.valueAtStake || a.sku.localeCompare(b.sku))
  return { asOf: at, lines, capped: [...capped.values()] }
}
