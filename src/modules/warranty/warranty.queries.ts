import type { Db } from '../../db/connect.js'
import type { Executor } from '../../db/database.js'
import { AppError } from '../../core/errors.js'
import { lookupUnits, referenceOf, resolveUnits, type UnitFact, unitEventLines, type UnitView } from '../units/index.js'
import {
  effectiveWarranty,
  type EffectiveWarranty,
  type Owner,
  type ReplacementRule,
  type SaleDateTerm,
  supplierWarranty,
  type TermOverride,
  unitWarrantyFacts,
  type WarrantyFacts,
  type WarrantyPolicy,
  type WarrantyStart,
} from './warranty.rules.js'
import type { WarrantyLookup } from './warranty.schemas.js'
import { flushHits } from './check-log.js'

/** The event types a unit's warranty is read from. */
export const WARRANTY_EVENT_TYPES = [
  'sold',
  'returned',
  'restocked_open_box',
  'warranty_term_set',
  'warranty_claimed',
  'warranty_voided',
  'warranty_transferred',
  'repair_started',
  'repair_returned',
] as const

/** A SKU's warranty policy: its own row, or the default built from the SKU's warranty months. */
export async function findPolicy(db: Executor, skuId: string): Promise<WarrantyPolicy & { isDefault: boolean }> {
  const row = await db.selectFrom('warranty_policy').selectAll().where('sku_id', '=', skuId).executeTakeFirst()
  if (row)
    return {
      months: Number(row.months),
      startsAt: row.starts_at as WarrantyStart,
      coverage: row.coverage,
      termsBySaleDate: JSON.parse(row.terms_by_sale_date) as SaleDateTerm[],
      replacementRule: row.replacement_rule as ReplacementRule,
      replacementMinDays: Number(row.replacement_min_days),
      supplierMonths: Number(row.supplier_months),
      supplierStartsAt: row.supplier_starts_at as WarrantyStart,
      publicCheck: row.public_check === 1,
      isDefault: false,
    }
  const sku = await db.selectFrom('sku').select('warranty_months').where('id', '=', skuId).executeTakeFirstOrThrow()
  return {
    months: Number(sku.warranty_months),
    startsAt: 'sale',
    coverage: null,
    termsBySaleDate: [],
    replacementRule: 'remaining',
    replacementMinDays: 0,
    supplierMonths: 0,
    supplierStartsAt: 'receipt',
    publicCheck: true,
    isDefault: true,
  }
}

/** A lot's own warranty term, if it has one. */
export async function findLotTerm(db: Executor, lotId: string | null): Promise<TermOverride | undefined> {
  if (!lotId) return undefined
  const row = await db
    .selectFrom('warranty_lot_term')
    .select(['months', 'label'])
    .where('lot_id', '=', lotId)
    .executeTakeFirst()
  return row ? { months: Number(row.months), label: row.label } : undefined
}

/** The unit's events that bear on its warranty, oldest first (by the unit's index on event lines). */
export async function warrantyEvents(db: Executor, unitId: string) {
  const rows = await unitEventLines(db, unitId)
    .select(['e.seq', 'e.type', 'e.occurred_at', 'e.actor', 'e.reason', 'e.payload', 'd.number'])
    .where('e.type', 'in', WARRANTY_EVENT_TYPES)
    .orderBy('e.seq')
    .execute()
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type,
    occurredAt: r.occurred_at,
    actor: r.actor,
    reason: r.reason,
    document: r.number,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }))
}

/** The unit projection's columns the warranty needs, by id. */
async function unitRow(db: Executor, unitId: string) {
  // The customer and the supplier by key, never a merge join (see the units module's unitViews).
  return db
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('party as cus', (j) => j.on('cus.id', '=', referenceOf(db, unitId, 'customer_id')))
    .leftJoin('party as sup', (j) => j.on('sup.id', '=', referenceOf(db, unitId, 'supplier_id')))
    .select(['u.id', 'u.serial', 'u.status', 'u.sku_id', 'u.lot_id', 'u.received_at', 'u.sold_at', 'u.order_ref'])
    .select(['s.code as sku_code', 's.name as sku_name', 'sup.code as sup_code'])
    .select(['cus.code as cus_code', 'cus.name as cus_name', 'cus.email as cus_email', 'cus.phone as cus_phone'])
    .where('u.id', '=', unitId)
    .executeTakeFirstOrThrow()
}

/** Everything about one unit's warranty: policy, effective term, supplier term, owner and history. */
export async function warrantyOf(db: Executor, unitId: string, today: string) {
  const u = await unitRow(db, unitId)
  const policy = await findPolicy(db, u.sku_id)
  const events = await warrantyEvents(db, unitId)
  const { transferred, ...own } = unitWarrantyFacts(u.serial, events)
  const lotOverride = await findLotTerm(db, u.lot_id)
  const facts: WarrantyFacts = { policy, receivedAt: u.received_at, soldAt: u.sold_at, lotOverride, ...own }
  const warranty: EffectiveWarranty = effectiveWarranty(facts, today)
  const owner: Owner = {
    customerCode: u.cus_code,
    // After a hand-over the first buyer's order number no longer identifies the owner.
    orderRef: transferred ? null : u.order_ref,
    email: u.cus_email,
    phone: u.cus_phone,
  }
  return { unit: u, policy, facts, warranty, owner, events, transferred }
}

/**
 * A unit view with its warranty end as the warranty module decides it (SKU policy, lot or unit term,
 * open-box term, replacement, extension; null when void or none): the same answer as `GET /warranty`.
 */
export async function withEffectiveWarranty(db: Executor, unit: UnitView, today: string): Promise<UnitView> {
  // A unit never sold has no warranty running (`not_sold`, or `void`): every scan of stock on the shelf
  // is answered without reading the policy and the unit's history (nor copying the unit when its view
  // already says so).
  if (unit.soldAt === null) return unit.warrantyEndsOn === null ? unit : { ...unit, warrantyEndsOn: null }
  const { warranty } = await warrantyOf(db, unit.id, today)
  const endsOn =
    warranty.status === 'void' || warranty.status === 'none' || warranty.status === 'not_sold' ? null : warranty.endsOn
  return { ...unit, warrantyEndsOn: endsOn }
}

/** The staff's warranty lookup of one unit: status and explanation, supplier term, owner, history. */
export async function warrantyLookup(db: Executor, unitId: string, today: string): Promise<WarrantyLookup> {
  const w = await warrantyOf(db, unitId, today)
  const { unit: u } = w
  return {
    serial: u.serial,
    sku: { code: u.sku_code, name: u.sku_name },
    unitStatus: u.status,
    soldAt: u.sold_at,
    warranty: w.warranty,
    supplier: { code: u.sup_code, ...supplierWarranty(w.policy, u.received_at, u.sold_at, today) },
    owner: u.cus_code ? { code: u.cus_code, name: u.cus_name!, transferred: w.transferred } : null,
    orderRef: u.order_ref,
    coverage: w.policy.coverage,
    history: w.events
      .filter((e) => e.type !== 'sold' || e.payload.replacementFor !== undefined || e.payload.extendedWarranty)
      .map((e) => ({
        seq: e.seq,
        type: e.type,
        occurredAt: e.occurredAt,
        actor: e.actor,
        document: e.document,
        outcome: typeof e.payload.outcome === 'string' ? e.payload.outcome : null,
        reason: e.reason,
      })),
    cloneSignals: await cloneSignals(db, unitId),
  }
}

/** How many distinct clients may check one token within a day before it looks like a copied label. */
export const CLONE_CLIENTS_PER_DAY = 5

/** Signs that a unit's public-check label was copied: many clients, or checks while we still hold it. */
export async function cloneSignals(db: Executor, unitId: string): Promise<string[]> {
  await flushHits(db)
  const rows = await db
    .selectFrom('public_check_hit as h')
    .innerJoin('public_check_token as t', 't.token_hash', 'h.token_hash')
    .select(['h.client_hash', 'h.checked_at', 'h.unit_status'])
    .where('t.unit_id', '=', unitId)
    .orderBy('h.checked_at', 'desc')
    .limit(500)
    .execute()
  const signals: string[] = []
  const byDay = new Map<string, Set<string>>()
  for (const r of rows) {
    const day = r.checked_at.slice(0, 10)
    byDay.set(day, (byDay.get(day) ?? new Set()).add(r.client_hash))
  }
  for (const [day, clients] of byDay)
    if (clients.size > CLONE_CLIENTS_PER_DAY)
      signals.push(`checked from ${clients.size} different clients on ${day} (a copied label?)`)
  const inStock = rows.filter((r) => r.unit_status === 'in_stock').length
  if (inStock > 0) signals.push(`checked ${inStock} time(s) by the public while the unit was in our stock`)
  return signals
}

/** Finds the one unit a serial or scan names (with its SKU when the serial is on two), or refuses. */
export async function findWarrantyUnit(db: Db, code: string, sku?: string): Promise<string> {
  if (sku) return (await resolveUnits(db.kysely, [{ serial: code, sku }], 'serial'))[0]!.id
  const found = await lookupUnits(db, code)
  if (found.length === 0) throw new AppError('unit.not_found', `no unit ${code}`)
  if (found.length > 1)
    throw new AppError('warranty.invalid', `${code} names ${found.length} units; say which SKU (?sku=)`)
  return found[0]!.id
}

/** The unit a command names (serial and optional SKU), as loaded for a decision. */
export async function loadUnit(db: Executor, serial: string, sku?: string): Promise<UnitFact> {
  return (await resolveUnits(db, [{ serial, sku }], 'serial'))[0]!
}
