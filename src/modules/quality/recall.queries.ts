import { type Expression, type SqlBool, sql } from 'kysely'
import type { WriteScope } from '../../core/context.js'
import { AppError, IssueList } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { startsWith } from '../../db/sql.js'
import { unclosedDocuments } from '../documents/index.js'
import { EventWriter, type UnitFilter } from '../ledger/index.js'
import type { UnitStatus } from '../units/unit-status.rules.js'
import type { RecallCriteria, RecallFact, ResolvedCriteria } from './quality.rules.js'
import type { QuarantineResult, RecallPreview, RecallProgress } from './quality.schemas.js'

/** Statuses a recall quarantines: the unit is on our shelves and not held yet. */
export const HOLDABLE_STATUSES: readonly UnitStatus[] = ['in_stock', 'returned', 'in_repair']

/** A date or date-time as the ISO-8601 UTC text the ledger stores (a date is its midnight UTC). */
export const instant = (v: string | undefined): string | undefined =>
  v === undefined ? undefined : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v).toISOString()

/**
 * Resolves the criteria's codes to ids (once, when the recall opens or is previewed): an unknown SKU,
 * lot, supplier, receipt or location is refused naming its field.
 */
export async function resolveCriteria(db: Executor, c: RecallCriteria): Promise<ResolvedCriteria> {
  const issues = new IssueList()
  const out: ResolvedCriteria = {}
  const lookup = async <T>(
    field: string,
    values: readonly string[] | undefined,
    find: (vs: string[]) => Promise<{ key: string; id: T }[]>,
  ): Promise<T[] | undefined> => {
    if (!values || values.length === 0) return undefined
    const found = await find([...new Set(values)])
    const byKey = new Map<string, T[]>()
    for (const f of found) byKey.set(f.key.toUpperCase(), [...(byKey.get(f.key.toUpperCase()) ?? []), f.id])
    values.forEach((v, i) => {
      if (!byKey.has(v.toUpperCase()))
        issues.add({ field: `criteria.${field}[${i}]`, value: v, message: `no ${field} ${v}` })
    })
    return [...new Set(found.map((f) => f.id))]
  }
  out.skuIds = await lookup('skus', c.skus, (vs) =>
    db.selectFrom('sku').select(['code as key', 'id']).where('code', 'in', vs).execute(),
  )
  out.lotIds = await lookup('lots', c.lots, async (vs) => {
    let q = db.selectFrom('lot').select(['code as key', 'id']).where('code', 'in', vs)
    if (out.skuIds) q = q.where('sku_id', 'in', out.skuIds)
    return q.execute()
  })
  out.receiptIds = await lookup('receipts', c.receipts, (vs) =>
    db
      .selectFrom('document')
      .select(['number as key', 'id'])
      .where('type', '=', sql.lit('receipt'))
      .where('number', 'in', vs)
      .execute(),
  )
  if (c.supplier) {
    const s = await db
      .selectFrom('party')
      .select('id')
      .where('code', '=', c.supplier)
      .where('role', '=', 'supplier')
      .executeTakeFirst()
    if (s) out.supplierId = s.id
    else issues.add({ field: 'criteria.supplier', value: c.supplier, message: `no supplier ${c.supplier}` })
  }
  if (c.passedThrough) {
    const loc = await db
      .selectFrom('location')
      .select('path')
      .where('code', '=', c.passedThrough.location)
      .executeTakeFirst()
    if (loc)
      out.passedThrough = { path: loc.path, from: instant(c.passedThrough.from), to: instant(c.passedThrough.to) }
    else
      issues.add({
        field: 'criteria.passedThrough.location',
        value: c.passedThrough.location,
        message: `no location ${c.passedThrough.location}`,
      })
  }
  issues.throwIfAny('recall.invalid_criteria', 'invalid recall criteria')
  if (c.serials?.length) out.serials = [...new Set(c.serials.map((s) => s.trim()))]
  if (c.serialRange) out.serialRange = c.serialRange
  if (c.receivedFrom || c.receivedTo) out.received = { from: instant(c.receivedFrom), to: instant(c.receivedTo) }
  if (c.soldFrom || c.soldTo) out.sold = { from: instant(c.soldFrom), to: instant(c.soldTo) }
  return out
}

/** The units a recall's criteria select, as a condition over `unit as u` (every criterion must hold). */
export const selectedBy =
  (c: ResolvedCriteria): UnitFilter =>
  (eb) => {
    const all: Expression<SqlBool>[] = []
    if (c.skuIds) all.push(eb('u.sku_id', 'in', c.skuIds))
    if (c.lotIds) all.push(eb('u.lot_id', 'in', c.lotIds))
    if (c.supplierId) all.push(eb('u.supplier_id', '=', c.supplierId))
    if (c.receiptIds) all.push(eb('u.receipt_id', 'in', c.receiptIds))
    if (c.serials) all.push(eb('u.serial', 'in', c.serials))
    if (c.serialRange) all.push(eb('u.serial', '>=', c.serialRange.from), eb('u.serial', '<=', c.serialRange.to))
    if (c.received?.from) all.push(eb('u.received_at', '>=', c.received.from))
    if (c.received?.to) all.push(eb('u.received_at', '<', c.received.to))
    if (c.sold?.from) all.push(eb('u.sold_at', '>=', c.sold.from))
    if (c.sold?.to) all.push(eb('u.sold_at', '<', c.sold.to))
    const passed = c.passedThrough
    if (passed)
      all.push(
        eb.exists(
          eb
            .selectFrom('event_unit as pe')
            .innerJoin('event as pv', 'pv.seq', 'pe.event_seq')
            .innerJoin('location as pl', 'pl.id', 'pv.location_id')
            .select(sql<number>`1`.as('one'))
            .whereRef('pe.unit_id', '=', 'u.id')
            .where(startsWith('pl.path', passed.path))
            .$if(passed.from !== undefined, (w) => w.where('pv.occurred_at', '>=', passed.from!))
            .$if(passed.to !== undefined, (w) => w.where('pv.occurred_at', '<', passed.to!)),
        ),
      )
    return eb.and(all)
  }

/** The units a recall's criteria select, as a query over `unit as u`. */
export const affectedUnits = (db: Executor, c: ResolvedCriteria) => db.selectFrom('unit as u').where(selectedBy(c))

interface RecallData {
  title: string
  criteria: RecallCriteria
  resolved: ResolvedCriteria
}

const toRecall = (d: { id: string; number: string; data: string }, closed: boolean): RecallFact => {
  const data = JSON.parse(d.data) as RecallData
  return {
    id: d.id,
    number: d.number,
    title: data.title,
    criteria: data.criteria,
    resolved: data.resolved,
    status: closed ? 'closed' : 'open',
  }
}

const closedRecallIds = (db: Executor, ids: readonly string[]) =>
  ids.length === 0
    ? Promise.resolve(new Set<string>())
    : db
        .selectFrom('event')
        .select('document_id')
        .where('type', '=', sql.lit('recall_closed'))
        .where('document_id', 'in', [...ids])
        .execute()
        .then((rows) => new Set(rows.map((r) => r.document_id!)))

/** A recall by its number, open or closed. */
export async function getRecall(db: Executor, number: string): Promise<RecallFact & { openedAt: string }> {
  const d = await db
    .selectFrom('document')
    .select(['id', 'number', 'data', 'occurred_at'])
    .where('type', '=', sql.lit('recall'))
    .where('number', '=', number)
    .executeTakeFirstOrThrow(() => new AppError('recall.not_found', `no recall ${number}`))
  return { ...toRecall(d, (await closedRecallIds(db, [d.id])).has(d.id)), openedAt: d.occurred_at }
}

/** Every recall, newest first. */
export async function listRecalls(db: Executor): Promise<(RecallFact & { openedAt: string })[]> {
  const docs = await db
    .selectFrom('document')
    .select(['id', 'number', 'data', 'occurred_at'])
    .where('type', '=', sql.lit('recall'))
    .orderBy('occurred_at', 'desc')
    .execute()
  const closed = await closedRecallIds(
    db,
    docs.map((d) => d.id),
  )
  return docs.map((d) => ({ ...toRecall(d, closed.has(d.id)), openedAt: d.occurred_at }))
}

/**
 * The open recalls: what every sale, receipt and arrival checks against, so one read that skips closed
 * recalls in SQL (their criteria are never parsed) rather than reading every recall ever opened.
 */
export async function openRecalls(db: Executor): Promise<RecallFact[]> {
  const docs = await unclosedDocuments(db, 'recall', 'recall_closed').select(['d.id', 'd.number', 'd.data']).execute()
  return docs.map((d) => toRecall(d, false))
}

/** Which of the units (by id) the criteria select, in chunks under the parameter limits. */
export async function affectedAmong(db: Executor, c: ResolvedCriteria, unitIds: readonly string[]) {
  const ids = new Set<string>()
  for (let i = 0; i < unitIds.length; i += 2000) {
    const chunk = unitIds.slice(i, i + 2000)
    for (const r of await affectedUnits(db, c).select('u.id').where('u.id', 'in', chunk).execute()) ids.add(r.id)
  }
  return ids
}

/** For the units given, the open recall that covers each (unit id → recall number). */
export async function recallsAffecting(db: Executor, unitIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (unitIds.length === 0) return out
  for (const recall of await openRecalls(db))
    for (const id of await affectedAmong(db, recall.resolved, unitIds)) if (!out.has(id)) out.set(id, recall.number)
  return out
}

/** Where a unit is, as the preview groups it: the site's code (the first segment of its path). */
const siteOf = (path: string | null) => (path ? path.split('/')[1]! : 'none')

/** What a recall's criteria select, grouped by status and (on our shelves) by site; who bought the sold ones. */
export async function previewRecall(db: Executor, c: ResolvedCriteria): Promise<RecallPreview> {
  const byStatusRows = await affectedUnits(db, c)
    .select(['u.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('u.status')
    .execute()
  const byStatus = byStatusRows
    .map((r) => ({ status: r.status as UnitStatus, count: Number(r.n) }))
    .sort((a, b) => b.count - a.count)
  const total = byStatus.reduce((n, r) => n + r.count, 0)
  const located = await affectedUnits(db, c)
    .innerJoin('location as l', 'l.id', 'u.location_id')
    .select(['l.path', 'u.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['l.path', 'u.status'])
    .execute()
  const sites = new Map<string, { site: string; status: string; count: number }>()
  for (const r of located) {
    const key = `${siteOf(r.path)}|${r.status}`
    const s = sites.get(key) ?? sites.set(key, { site: siteOf(r.path), status: r.status, count: 0 }).get(key)!
    s.count += Number(r.n)
  }
  const sold = await soldUnits(db, c, 200)
  const message =
    total === 0
      ? 'no unit matches these criteria'
      : `${total} units match: ` + byStatus.map((s) => `${s.count} ${s.status.replaceAll('_', ' ')}`).join(', ')
  return {
    total,
    message,
    byStatus,
    inStockBySite: [...sites.values()].sort((a, b) => a.site.localeCompare(b.site) || a.status.localeCompare(b.status)),
    sold: sold.map((s) => ({ serial: s.serial, sku: s.sku, customer: s.customer, order: s.order, soldAt: s.soldAt })),
  }
}

/** The sold units a recall affects, with their customer's contact (the notification list). */
export async function soldUnits(db: Executor, c: ResolvedCriteria, limit?: number) {
  const rows = await affectedUnits(db, c)
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('party as p', 'p.id', 'u.customer_id')
    .select(['u.serial', 's.code as sku', 'p.name as customer', 'p.email', 'p.phone', 'u.order_ref', 'u.sold_at'])
    .where('u.status', '=', sql.lit('sold'))
    .orderBy('u.sold_at')
    .orderBy('u.serial')
    .$if(limit !== undefined, (q) => q.limit(limit!))
    .execute()
  return rows.map((r) => ({
    serial: r.serial,
    sku: r.sku,
    customer: r.customer,
    contact: [r.email, r.phone].filter(Boolean).join(' ') || null,
    order: r.order_ref,
    soldAt: r.sold_at,
  }))
}

export const CUSTOMER_COLUMNS = ['customer', 'contact', 'order', 'saleDate', 'sku', 'serial'] as const

/** The customer notification list as CSV rows. */
export async function customerRows(db: Executor, c: ResolvedCriteria) {
  return (await soldUnits(db, c)).map((u) => ({
    customer: u.customer ?? '',
    contact: u.contact ?? '',
    order: u.order ?? '',
    saleDate: u.soldAt ?? '',
    sku: u.sku,
    serial: u.serial,
  }))
}

/** Resolved of affected, by status and by each unit's latest outcome. */
export async function recallProgress(db: Executor, recall: RecallFact & { openedAt: string }): Promise<RecallProgress> {
  const byStatus = (
    await affectedUnits(db, recall.resolved)
      .select(['u.status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('u.status')
      .execute()
  ).map((r) => ({ status: r.status, count: Number(r.n) }))
  const affected = byStatus.reduce((n, r) => n + r.count, 0)
  const outcomes = await db
    .selectFrom('event as e')
    .innerJoin('event_unit as eu', 'eu.event_seq', 'e.seq')
    .select(['eu.unit_id', 'e.reason', 'e.seq'])
    .where('e.type', '=', sql.lit('recall_outcome'))
    .where('e.document_id', '=', recall.id)
    .orderBy('e.seq')
    .execute()
  const latest = new Map<string, string>()
  for (const o of outcomes) latest.set(o.unit_id, o.reason ?? 'unknown')
  const finals = await affectedUnits(db, recall.resolved)
    .select('u.id')
    .where('u.status', 'in', ['scrapped', 'returned_to_vendor'])
    .execute()
  const resolved = new Set([...latest.keys(), ...finals.map((f) => f.id)])
  const counts = new Map<string, number>()
  for (const outcome of latest.values()) counts.set(outcome, (counts.get(outcome) ?? 0) + 1)
  return {
    recall: summaryOf(recall),
    affected,
    resolved: resolved.size,
    byStatus,
    byOutcome: [...counts].map(([outcome, count]) => ({ outcome, count })),
  }
}

export const summaryOf = (r: RecallFact & { openedAt: string }) => ({
  number: r.number,
  title: r.title,
  status: r.status,
  openedAt: r.openedAt,
  criteria: r.criteria,
})

/**
 * Quarantines, as one event on the recall's document, the units a recall selects that are on our
 * shelves and not held yet; `narrow` limits them (a receipt's units, an arrival's units). The units are
 * found and moved in one UPDATE (per chunk of `narrow.unitIds`), then recorded as the event's lines.
 */
export async function holdRecalledUnits(
  scope: WriteScope,
  recall: { id: string; number: string; resolved: ResolvedCriteria },
  trigger: 'recall' | 'receiving' | 'arrival',
  occurredAt: string,
  narrow?: { receiptId?: string; unitIds?: readonly string[] },
): Promise<QuarantineResult> {
  const writer = await EventWriter.start(scope.trx, scope.head, {
    type: 'quarantined',
    occurredAt,
    recordedAt: scope.now.toISOString(),
    actor: scope.actor,
    locationId: null,
    fromLocationId: null,
    reason: 'recall',
    documentType: 'recall',
    documentId: recall.id,
    payload: { recall: recall.number, trigger },
  })
  const holdable =
    (also: (eb: Parameters<UnitFilter>[0]) => Expression<SqlBool>[]): UnitFilter =>
    (eb) =>
      eb.and([
        selectedBy(recall.resolved)(eb),
        // Checked on the rows the criteria select, not used to find them: most units are in stock, and
        // SQLite (no statistics) would otherwise walk the status index over the whole stock.
        eb(sql<string>`u.status || ''`, 'in', HOLDABLE_STATUSES),
        ...(narrow?.receiptId !== undefined ? [eb('u.receipt_id', '=', narrow.receiptId)] : []),
        ...also(eb),
      ])
  let held = 0
  if (narrow?.unitIds)
    for (let i = 0; i < narrow.unitIds.length; i += 2000) {
      const chunk = narrow.unitIds.slice(i, i + 2000)
      held += await writer.addSelectedUnits(holdable((eb) => [eb('u.id', 'in', chunk)]))
    }
  else held = await writer.addSelectedUnits(holdable(() => []))
  if (held === 0) return { recall: recall.number, eventSeq: null, quarantined: 0 }
  const event = await writer.finish()
  return { recall: recall.number, eventSeq: event.seq, quarantined: event.unitCount }
}

/**
 * Holds what just arrived (a receipt's units, a transfer's arrivals) that an open recall covers: one
 * `quarantined` event per recall that matched, in the same transaction. No open recall costs one read.
 */
export async function holdArrivals(
  scope: WriteScope,
  trigger: 'receiving' | 'arrival',
  occurredAt: string,
  narrow: { receiptId?: string; unitIds?: readonly string[] },
): Promise<QuarantineResult[]> {
  const out: QuarantineResult[] = []
  for (const recall of await openRecalls(scope.trx)) {
    const held = await holdRecalledUnits(scope, recall, trigger, occurredAt, narrow)
    if (held.quarantined > 0) out.push(held)
  }
  return out
}
