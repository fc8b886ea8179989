import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { unitStockCounts } from '../ledger/index.js'
import { UNIT_STATUSES } from '../units/unit-status.rules.js'
import type { Dashboard, DashboardQuery } from './dashboard.schemas.js'

/*
 * Read-only aggregates for the web dashboard. Every query is plain, portable SQL (SQLite and
 * PostgreSQL), reads projections (the unit counts, not every unit) or the (small) event header table
 * through existing indexes, and never touches the unit lines of a million-unit receipt except for the
 * sales of the chosen weeks.
 */

const DAY = 86_400_000

/** Monday 00:00 UTC of the week containing `d`. */
export function weekStartOf(d: Date): Date {
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  const weekday = (new Date(day).getUTCDay() + 6) % 7 // Monday = 0
  return new Date(day - weekday * DAY)
}

const num = (v: unknown) => Number(v ?? 0)

export async function dashboard(db: Executor, now: Date, q: DashboardQuery): Promise<Dashboard> {
  const firstWeek = weekStartOf(new Date(weekStartOf(now).getTime() - (q.weeks - 1) * 7 * DAY))
  const since = firstWeek.toISOString()

  // Status counts and in-stock counts per SKU come from the unit counts (a row per status, SKU,
  // location and lot), not from every unit row.
  const [byStatus, inStockBySku, quantities, eventDays, quantityDays, unitSalesValue, recent] = await Promise.all([
    db
      .selectFrom(unitStockCounts(db).as('c'))
      .select(['c.status', sql<number>`sum(c.units)`.as('n')])
      .groupBy('c.status')
      .execute(),
    db
      .selectFrom(unitStockCounts(db, { status: 'in_stock' }).as('c'))
      .innerJoin('sku as s', 's.id', 'c.sku_id')
      .select([sql<number>`sum(c.units)`.as('units'), sql<number>`sum(c.units * s.cost_minor)`.as('value')])
      .executeTakeFirst(),
    db
      .selectFrom('stock as st')
      .innerJoin('sku as s', 's.id', 'st.sku_id')
      .select([sql<number>`sum(st.quantity)`.as('qty'), sql<number>`sum(st.quantity * s.cost_minor)`.as('value')])
      .where('st.quantity', '>', 0)
      .executeTakeFirst(),
    db
      .selectFrom('event')
      .select([
        'type',
        sql<string>`substr(occurred_at, 1, 10)`.as('day'),
        sql<number>`count(*)`.as('events'),
        sql<number>`sum(unit_count)`.as('units'),
      ])
      .where('type', 'in', ['received', 'sold'])
      .where('occurred_at', '>=', since)
      .groupBy(['type', sql`substr(occurred_at, 1, 10)`])
      .execute(),
    db
      .selectFrom('event_quantity as q')
      .innerJoin('event as e', 'e.seq', 'q.event_seq')
      .select([
        'e.type',
        sql<string>`substr(e.occurred_at, 1, 10)`.as('day'),
        sql<number>`sum(abs(q.delta))`.as('qty'),
        sql<number>`sum(abs(q.delta) * coalesce(q.price_minor, 0))`.as('value'),
      ])
      .where('e.type', 'in', ['received', 'sold'])
      .where('e.occurred_at', '>=', since)
      .groupBy(['e.type', sql`substr(e.occurred_at, 1, 10)`])
      .execute(),
    db
      .selectFrom('event_unit as eu')
      .innerJoin('event as e', 'e.seq', 'eu.event_seq')
      .select([
        sql<string>`substr(e.occurred_at, 1, 10)`.as('day'),
        sql<number>`sum(coalesce(eu.price_minor, 0))`.as('value'),
      ])
      .where('e.type', '=', sql.lit('sold'))
      .where('e.occurred_at', '>=', since)
      .groupBy(sql`substr(e.occurred_at, 1, 10)`)
      .execute(),
    q.recent === 0
      ? Promise.resolve([])
      : db
          .selectFrom('event as e')
          .leftJoin('location as l', 'l.id', 'e.location_id')
          .leftJoin('document as d', 'd.id', 'e.document_id')
          .select(['e.seq', 'e.type', 'e.occurred_at', 'e.actor', 'e.unit_count', 'e.quantity_line_count'])
          .select(['l.code as loc', 'd.type as doc_type', 'd.number as doc_number'])
          .orderBy('e.seq', 'desc')
          .limit(q.recent)
          .execute(),
  ])

  const weeks = Array.from({ length: q.weeks }, (_, i) => ({
    weekStart: new Date(firstWeek.getTime() + i * 7 * DAY).toISOString().slice(0, 10),
    receipts: 0,
    receivedUnits: 0,
    sales: 0,
    soldUnits: 0,
    salesValue: 0,
  }))
  const weekOf = (day: string) => weeks[Math.floor((Date.parse(`${day}T00:00:00Z`) - firstWeek.getTime()) / (7 * DAY))]
  for (const r of eventDays) {
    const w = weekOf(r.day)
    if (!w) continue
    if (r.type === 'received') {
      w.receipts += num(r.events)
      w.receivedUnits += num(r.units)
    } else {
      w.sales += num(r.events)
      w.soldUnits += num(r.units)
    }
  }
  for (const r of quantityDays) {
    const w = weekOf(r.day)
    if (!w) continue
    if (r.type === 'received') w.receivedUnits += num(r.qty)
    else {
      w.soldUnits += num(r.qty)
      w.salesValue += num(r.value) / 100
    }
  }
  for (const r of unitSalesValue) {
    const w = weekOf(r.day)
    if (w) w.salesValue += num(r.value) / 100
  }
  for (const w of weeks) w.salesValue = Math.round(w.salesValue * 100) / 100

  const counts = new Map(byStatus.map((r) => [r.status, num(r.n)]))
  const serialValue = num(inStockBySku?.value) / 100
  const quantityValue = num(quantities?.value) / 100
  return {
    asOf: now.toISOString(),
    stock: {
      serialUnits: num(inStockBySku?.units),
      serialValue,
      quantity: num(quantities?.qty),
      quantityValue,
      totalValue: Math.round((serialValue + quantityValue) * 100) / 100,
    },
    unitsByStatus: UNIT_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    weeks,
    recent: recent.map((e) => ({
      seq: num(e.seq),
      type: e.type,
      occurredAt: e.occurred_at,
      actor: e.actor,
      location: e.loc,
      document: e.doc_type && e.doc_number ? { type: e.doc_type, number: e.doc_number } : null,
      unitCount: num(e.unit_count),
      quantityLineCount: num(e.quantity_line_count),
    })),
  }
}
