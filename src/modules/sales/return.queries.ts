import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { getLocationByCode } from '../locations/index.js'
import { getPartyByCode } from '../parties/index.js'
import { findUnitsBySerials } from '../units/index.js'
import { failedChecks, RETURN_CHECKS, type ReturnCheck, OVERRIDABLE_CHECKS } from './return-checks.rules.js'
import type { ReturnFraudReport, ReturnRequest, ReturnVerification } from './sales.schemas.js'

/** When each unit was sold and its SKU's return window, by unit id (what a return's checks need). */
export async function salesOf(
  db: Executor,
  unitIds: readonly string[],
): Promise<Map<string, { soldAt: string | null; returnWindowDays: number }>> {
  const out = new Map<string, { soldAt: string | null; returnWindowDays: number }>()
  for (let i = 0; i < unitIds.length; i += 5000) {
    const rows = await db
      .selectFrom('unit as u')
      .innerJoin('sku as s', 's.id', 'u.sku_id')
      .select(['u.id', 'u.sold_at', 's.return_window_days'])
      .where('u.id', 'in', unitIds.slice(i, i + 5000))
      .execute()
    for (const r of rows) out.set(r.id, { soldAt: r.sold_at, returnWindowDays: Number(r.return_window_days) })
  }
  return out
}

/** What a passed check says. */
const PASSED: Record<ReturnCheck, string> = {
  unknown_serial: 'the serial is ours',
  wrong_sku: 'of the SKU named',
  never_sold: 'sold by us',
  already_returned: 'not returned already',
  not_returnable: 'sold, not in repair or written off',
  other_customer: 'sold to this customer',
  other_order: 'on this order',
  no_buyer_named: 'buyer named',
  outside_window: 'within the return window',
}

/** The checks that apply to a return: naming a SKU, customer or order adds its check. */
function applicable(cmd: ReturnRequest): ReturnCheck[] {
  return RETURN_CHECKS.filter(
    (c) =>
      c !== 'unknown_serial' &&
      (c !== 'wrong_sku' || cmd.sku) &&
      (c !== 'other_customer' || cmd.customer) &&
      (c !== 'other_order' || cmd.orderRef) &&
      (c !== 'no_buyer_named' || (!cmd.customer && !cmd.orderRef)),
  )
}

const siteOf = (path: string | null) => path?.split('/')[1] ?? null

/** The site each unit was last sold from, by unit id. */
async function soldFrom(db: Executor, unitIds: readonly string[]) {
  if (unitIds.length === 0) return new Map<string, string | null>()
  const rows = await db
    .selectFrom('event_unit as eu')
    .innerJoin('event as e', 'e.seq', 'eu.event_seq')
    .leftJoin('location as l', 'l.id', 'e.from_location_id')
    .select(['eu.unit_id', 'l.path', 'e.seq'])
    .where('eu.unit_id', 'in', unitIds)
    .where('e.type', '=', sql.lit('sold'))
    .orderBy('e.seq')
    .execute()
  return new Map(rows.map((r) => [r.unit_id, siteOf(r.path)]))
}

/** How many returns a customer made since a day, and the days a "repeated returns" signal looks back. */
export const REPEAT_RETURN_DAYS = 90
export const REPEAT_RETURNS = 2

async function returnsBy(db: Executor, customerId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('document')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('type', '=', sql.lit('return'))
    .where('party_id', '=', customerId)
    .where('occurred_at', '>=', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Verifies a return before it is taken (writes nothing): each unit's checks, passed or failed with
 * its named reason, and the fraud signals a clerk should see.
 */
export async function verifyReturn(db: Executor, cmd: ReturnRequest, now: Date): Promise<ReturnVerification> {
  const returnedAt = cmd.returnedAt ?? now.toISOString()
  const location = await getLocationByCode(db, cmd.location)
  const customer = cmd.customer ? await getPartyByCode(db, cmd.customer, 'customer') : undefined
  const serials = cmd.units.map((u) => (typeof u === 'string' ? u : u.serial))
  const found = await findUnitsBySerials(db, serials)
  const pick = (s: string) => {
    const all = found.filter((u) => u.serial === s)
    return all.find((u) => !cmd.sku || u.skuCode.toLowerCase() === cmd.sku.toLowerCase()) ?? all[0]
  }
  const units = serials.map(pick)
  const ids = units.flatMap((u) => (u ? [u.id] : []))
  const [sales, from] = [await salesOf(db, ids), await soldFrom(db, ids)]
  const claim = { sku: cmd.sku, customerId: customer?.id, orderRef: cmd.orderRef, returnedAt }
  const checks = applicable(cmd)
  const out = serials.map((serial, i) => {
    const u = units[i]
    const signals: string[] = []
    if (serials.indexOf(serial) !== i) signals.push(`${serial} is presented twice in this return`)
    if (!u) {
      const check = { check: 'unknown_serial' as const, passed: false, overridable: false }
      return {
        serial,
        sku: null,
        status: null,
        checks: [{ ...check, message: `${serial} is not a serial of ours` }],
        signals,
      }
    }
    const failed = failedChecks({ unit: u, ...sales.get(u.id)! }, claim)
    const results = checks.map((c) => {
      const f = failed.find((x) => x.check === c)
      return { check: c, passed: !f, message: f?.message ?? PASSED[c], overridable: OVERRIDABLE_CHECKS.includes(c) }
    })
    for (const f of failed) if (f.check !== 'outside_window' && f.check !== 'no_buyer_named') signals.push(f.message)
    const site = from.get(u.id)
    if (site && site !== siteOf(location.path)) signals.push(`${serial} was sold at ${site} (allowed)`)
    return { serial, sku: u.skuCode, status: u.status, checks: results, signals }
  })
  const signals: string[] = []
  if (customer) {
    const since = new Date(Date.parse(returnedAt) - REPEAT_RETURN_DAYS * 86_400_000).toISOString()
    const n = await returnsBy(db, customer.id, since)
    if (n >= REPEAT_RETURNS) signals.push(`${customer.code} made ${n} returns in the last ${REPEAT_RETURN_DAYS} days`)
  }
  return { ok: out.every((u) => u.checks.every((c) => c.passed)), units: out, signals }
}

/** The fraud report: returns accepted over a failed check (with the manager's reason), and repeat returners. */
export async function returnFraudReport(db: Executor, days: number, now: Date): Promise<ReturnFraudReport> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString()
  const events = await db
    .selectFrom('event as e')
    .innerJoin('document as d', 'd.id', 'e.document_id')
    .select(['d.number', 'e.occurred_at', 'e.actor', 'e.payload'])
    .where('e.type', '=', sql.lit('returned'))
    .where('e.occurred_at', '>=', since)
    .where('e.payload', 'like', '%"overrides"%')
    .orderBy('e.seq', 'desc')
    .limit(1000)
    .execute()
  const overrides = events.flatMap((e) =>
    (
      (JSON.parse(e.payload) as { overrides?: { serial: string; check: string; reason: string }[] }).overrides ?? []
    ).map((o) => ({ number: e.number, occurredAt: e.occurred_at, actor: e.actor, ...o })),
  )
  const repeat = await db
    .selectFrom('document as d')
    .innerJoin('party as p', 'p.id', 'd.party_id')
    .select(['p.code', 'p.name', (eb) => eb.fn.countAll().as('n')])
    .where('d.type', '=', sql.lit('return'))
    .where('d.occurred_at', '>=', since)
    .groupBy(['p.code', 'p.name'])
    .having((eb) => eb.fn.countAll(), '>=', REPEAT_RETURNS)
    .orderBy('n', 'desc')
    .limit(100)
    .execute()
  return {
    since,
    overrides: overrides.map(({ number, occurredAt, actor, serial, check, reason }) => ({
      number,
      occurredAt,
      actor,
      serial,
      check,
      reason,
    })),
    repeatCustomers: repeat.map((r) => ({ customer: r.code, name: r.name, returns: Number(r.n) })),
  }
}
