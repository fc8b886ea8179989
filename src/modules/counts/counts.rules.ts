/*
 * Cycle counts as pure rules: opening a count, taking a batch of scans, recounting a zone, judging each
 * scan and closing. A scan is judged by the ledger as it stood when the scan was made (the unit's
 * status, location and last event then), so a store that keeps trading during a count never turns a
 * legitimate receipt, move or sale into a missing or unexpected unit.
 */
import { AppError, IssueList } from '../../core/errors.js'
import * as op from '../operations/operations.rules.js'
import { LOCATED_STATUSES, type UnitStatus } from '../units/unit-status.rules.js'
import type {
  CloseCountRequest,
  CountScan,
  RecountRequest,
  ScanCountRequest,
  StartCountRequest,
} from './counts.schemas.js'

/** A count session as the rules need it (its projection row with its location). */
export interface CountFact {
  id: string
  number: string
  location: op.LocationFact
  skuIds: readonly string[]
  isBlind: boolean
  status: 'open' | 'closed'
  startedSeq: number
}

export interface StartFacts {
  location: op.LocationFact
  skus: readonly { id: string; code: string }[]
}

/** Opens a count of a location subtree, optionally limited to SKUs; blind unless asked otherwise. */
export function decideStart(cmd: StartCountRequest, f: StartFacts, ctx: op.DecideContext): op.OperationPlan {
  return op.planOperation(ctx, {
    type: 'count_started',
    document: {
      type: 'count',
      number: cmd.number,
      prefix: 'CNT',
      data: { withExpected: cmd.withExpected, skus: f.skus.map((s) => s.code) },
    },
    to: f.location,
    from: null,
    reason: cmd.reason ?? 'cycle count',
    occurredAt: op.businessTime(cmd.startedAt, ctx.now),
    payload: { skuIds: f.skus.map((s) => s.id), isBlind: !cmd.withExpected },
    units: [],
    quantities: [],
  })
}

/** Refuses anything but an open count. */
export function refuseClosed(count: CountFact, what: string): void {
  if (count.status === 'closed') throw new AppError('count.closed', `count ${count.number} is closed: ${what}`)
}

/** Refuses a location outside the count's subtree. */
export function refuseOutsideCount(count: CountFact, location: op.LocationFact): void {
  if (!op.isWithin(location, count.location))
    throw new AppError(
      'count.outside_scope',
      `location: ${location.code} is not inside ${count.location.code}, the location count ${count.number} covers`,
    )
}

/** A SKU a quantity scan names. */
export interface ScanSku {
  id: string
  code: string
  tracking: 'serial' | 'lot' | 'quantity'
}

export interface ScanFacts {
  count: CountFact
  location: op.LocationFact
  /** Units whose serial matches a scanned serial (any SKU). */
  units: readonly op.UnitFact[]
  /** The GTIN of each of those units' SKUs (null: none), by SKU id: a scan's GTIN must be its SKU's. */
  gtins?: ReadonlyMap<string, string | null>
  /** SKUs named by scans, by code. */
  skus: ReadonlyMap<string, ScanSku>
  /** Lot ids by `skuId|lotCode`; a lot the ledger does not know is absent. */
  lots: ReadonlyMap<string, string>
  /** Keys of this batch's scans that the count recorded before. */
  seenKeys: ReadonlySet<string>
  /** Units of this batch already scanned in this count (not set aside by a recount). */
  scannedUnitIds: ReadonlySet<string>
}

export type ScanFlag = 'repeat' | 'elsewhere' | 'status' | 'unknown' | 'not_counted'

/** A batch of scans as the ledger records it: one `counted` event. */
export interface ScanPlan {
  count: CountFact
  location: op.LocationFact
  occurredAt: string
  units: { unit: op.UnitFact; key: string }[]
  quantities: { skuId: string; lotId: string | null; quantity: number; key: string }[]
  unknown: { key: string; serial: string }[]
  replayed: number
  flags: { key: string; serial: string | null; flag: ScanFlag; message: string }[]
  /** Units the ledger has as missing that this batch saw: found here, posted before the scans. */
  found: op.OperationPlan | null
}

/**
 * Takes a batch of scans into an open count. A key seen before (a scanner's retry or replay) is not
 * counted again; a unit scanned twice counts once and the repeat is flagged; a unit the ledger records
 * somewhere else or in another status, and a serial it does not know, are recorded and flagged.
 */
export function decideScans(cmd: ScanCountRequest, f: ScanFacts, ctx: op.DecideContext): ScanPlan {
  refuseClosed(f.count, 'it takes no more scans')
  refuseOutsideCount(f.count, f.location)
  op.refuseOutsideScope(ctx, [f.location.path])
  const plan: ScanPlan = {
    count: f.count,
    location: f.location,
    occurredAt: ctx.now.toISOString(),
    units: [],
    quantities: [],
    unknown: [],
    replayed: 0,
    flags: [],
    found: null,
  }
  const missing: op.UnitFact[] = []
  const issues = new IssueList()
  const keys = new Map<string, string>()
  const scanned = new Set(f.scannedUnitIds)
  cmd.scans.forEach((s, i) => {
    const field = `scans[${i}]`
    const fingerprint = JSON.stringify([s.serial, s.sku, s.lot, s.quantity, s.gtin])
    const earlier = keys.get(s.key)
    if (earlier !== undefined) {
      if (earlier !== fingerprint)
        issues.add({ row: i + 1, field: `${field}.key`, value: s.key, message: `key ${s.key} names two scans` })
      plan.replayed++
      return
    }
    keys.set(s.key, fingerprint)
    if (f.seenKeys.has(s.key)) {
      plan.replayed++
      return
    }
    const problem = scanProblem(s, f)
    if (problem) return issues.add({ row: i + 1, field, value: s.serial ?? s.sku, message: problem })
    if (s.serial === undefined) return plan.quantities.push(quantityOf(s, f))
    const all = matchSerial(s, f.units)
    const matches = byGtin(s, all, f.gtins)
    if (all.length > 0 && matches.length === 0)
      return issues.add({
        row: i + 1,
        field: `${field}.gtin`,
        value: s.serial,
        message:
          `${s.serial}: the scan's GTIN ${s.gtin} is not the GTIN of ` +
          all.map((u) => `${u.skuCode} (${f.gtins?.get(u.skuId)})`).join(' or ') +
          ': wrong item or wrong label',
      })
    if (matches.length > 1)
      return issues.add({
        row: i + 1,
        field: `${field}.serial`,
        value: s.serial,
        message: `serial ${s.serial} exists for ${matches.map((m) => m.skuCode).join(' and ')}; name the SKU`,
      })
    const unit = matches[0]
    if (!unit) {
      plan.unknown.push({ key: s.key, serial: s.serial.trim() })
      plan.flags.push(flagOf(s, 'unknown', `no unit with serial ${s.serial}`))
      return
    }
    if (f.count.skuIds.length > 0 && !f.count.skuIds.includes(unit.skuId)) {
      plan.flags.push(flagOf(s, 'not_counted', `${unit.skuCode} is not part of this count: not recorded`))
      return
    }
    plan.units.push({ unit, key: s.key })
    if (scanned.has(unit.id)) plan.flags.push(flagOf(s, 'repeat', `${unit.serial} was scanned before; it counts once`))
    scanned.add(unit.id)
    const judged = judgeUnit(unit.status, unit.locationPath, f.location.path)
    if (unit.status === 'missing') {
      if (!missing.includes(unit)) missing.push(unit)
      plan.flags.push(flagOf(s, 'status', `${unit.skuCode} ${unit.serial} was missing: posted found here`))
    } else if (judged === 'other_status')
      plan.flags.push(flagOf(s, 'status', `${unit.skuCode} ${unit.serial} is ${unit.status} in the ledger`))
    if (judged === 'misplaced')
      plan.flags.push(flagOf(s, 'elsewhere', `${unit.skuCode} ${unit.serial} is recorded at another location`))
  })
  issues.throwIfAny('request.invalid', 'scans refused; nothing was recorded')
  if (missing.length > 0)
    plan.found = op.planOperation(ctx, {
      type: 'found',
      document: { type: 'count', existingId: f.count.id, number: f.count.number },
      to: f.location,
      from: null,
      reason: `scanned in count ${f.count.number}`,
      occurredAt: plan.occurredAt,
      payload: { count: f.count.id },
      units: missing,
      quantities: [],
    })
  return plan
}

const flagOf = (s: CountScan, flag: ScanFlag, message: string) => ({
  key: s.key,
  serial: s.serial ?? null,
  flag,
  message,
})

function scanProblem(s: CountScan, f: ScanFacts): string | undefined {
  if (s.serial !== undefined) {
    if (s.quantity !== undefined || s.lot !== undefined) return 'a serial scan takes no quantity or lot'
    return undefined
  }
  if (s.sku === undefined || s.quantity === undefined) return 'give a serial, or a SKU with a quantity'
  const sku = f.skus.get(s.sku)
  if (!sku) return `no SKU ${s.sku}`
  if (sku.tracking === 'serial') return `${sku.code} is serial-tracked: scan its serials`
  if (sku.tracking === 'lot' && !s.lot) return `${sku.code} is lot-tracked: name the lot`
  if (sku.tracking === 'quantity' && s.lot) return `${sku.code} has no lots`
  if (s.lot && !f.lots.has(`${sku.id}|${s.lot}`)) return `${sku.code} has no lot ${s.lot}`
  if (f.count.skuIds.length > 0 && !f.count.skuIds.includes(sku.id)) return `${sku.code} is not part of this count`
  return undefined
}

function quantityOf(s: CountScan, f: ScanFacts): ScanPlan['quantities'][number] {
  const sku = f.skus.get(s.sku!)!
  return { skuId: sku.id, lotId: s.lot ? f.lots.get(`${sku.id}|${s.lot}`)! : null, quantity: s.quantity!, key: s.key }
}

/** The units a scanned serial may be: as typed, upper- or lower-cased, of the SKU named if one is. */
function matchSerial(s: CountScan, units: readonly op.UnitFact[]): op.UnitFact[] {
  const t = s.serial!.trim()
  const candidates = new Set([t, t.toUpperCase(), t.toLowerCase()])
  return units.filter((u) => candidates.has(u.serial) && (!s.sku || u.skuCode === s.sku))
}

/**
 * The units a scan's GTIN allows, as in every other operation: a SKU carrying another GTIN is out, one
 * carrying none is kept, and a SKU carrying that very GTIN is picked over those.
 */
function byGtin(
  s: CountScan,
  units: readonly op.UnitFact[],
  gtins: ReadonlyMap<string, string | null> = new Map(),
): op.UnitFact[] {
  if (!s.gtin) return [...units]
  const allowed = units.filter((u) => !gtins.get(u.skuId) || gtins.get(u.skuId) === s.gtin)
  const exact = allowed.filter((u) => gtins.get(u.skuId) === s.gtin)
  return exact.length > 0 ? exact : allowed
}

export type ScanJudgement = 'found' | 'misplaced' | 'other_status'

/**
 * How one scanned unit compares with the ledger as it stood at the scan: found where it is recorded
 * (the scan's location and the recorded one lie on one branch: a unit recorded in a bin, scanned at its
 * zone), misplaced when recorded at another of our locations, or in another status (sold, scrapped…).
 */
export function judgeUnit(status: string | null, recordedPath: string | null, scannedPath: string): ScanJudgement {
  if (!status || !LOCATED_STATUSES.includes(status as UnitStatus) || !recordedPath) return 'other_status'
  return recordedPath.startsWith(scannedPath) || scannedPath.startsWith(recordedPath) ? 'found' : 'misplaced'
}

export interface RecountFacts {
  count: CountFact
  location: op.LocationFact
}

/** Sets aside a zone's scans so far: it is counted again before the count closes. */
export function decideRecount(cmd: RecountRequest, f: RecountFacts, ctx: op.DecideContext): op.OperationPlan {
  refuseClosed(f.count, 'nothing left to recount')
  refuseOutsideCount(f.count, f.location)
  return op.planOperation(ctx, {
    type: 'count_recounted',
    document: { type: 'count', existingId: f.count.id, number: f.count.number },
    to: f.location,
    from: null,
    reason: cmd.reason ?? `recount ${f.location.code}`,
    occurredAt: ctx.now.toISOString(),
    payload: {},
    units: [],
    quantities: [],
  })
}

/** What closing needs: the count and the outcome of its reconciliation, as current facts. */
export interface CloseFacts {
  count: CountFact
  /** Units recorded in the count's scope, undisturbed since it started, and never scanned. */
  missing: readonly op.UnitFact[]
  /** Units scanned away from where they are recorded, unchanged since the scan, with where they were seen. */
  misplaced: readonly { unit: op.UnitFact; seenAt: op.LocationFact }[]
  /** Units the ledger has as missing that a scan saw, with where. */
  found: readonly { unit: op.UnitFact; seenAt: op.LocationFact }[]
  /** Quantity differences (counted minus on hand) per SKU, lot and location. */
  variances: readonly op.DraftQuantity[]
}

/**
 * Closes a count in one `count_closed` event on the count's document: each unit line names its own
 * transition (missing units `lost`, misplaced units `moved` to where they were scanned, missing units that
 * were scanned `found` there), its quantity lines are the variances' stock deltas, and it seals the count.
 */
export function decideClose(cmd: CloseCountRequest, f: CloseFacts, ctx: op.DecideContext): op.OperationPlan {
  refuseClosed(f.count, 'it was closed already')
  const lines = [
    ...f.missing.map((unit) => ({ unit, type: 'lost' as const, to: null })),
    ...f.misplaced.map(({ unit, seenAt }) => ({ unit, type: 'moved' as const, to: seenAt })),
    ...f.found.map(({ unit, seenAt }) => ({ unit, type: 'found' as const, to: seenAt })),
  ]
  return op.planOperation(ctx, {
    type: 'count_closed',
    document: { type: 'count', existingId: f.count.id, number: f.count.number },
    to: f.count.location,
    from: null,
    reason: cmd.reason ?? `count ${f.count.number}`,
    occurredAt: op.businessTime(cmd.closedAt, ctx.now),
    payload: {
      count: f.count.id,
      missing: f.missing.length,
      moved: f.misplaced.length,
      found: f.found.length,
      quantityLines: f.variances.length,
    },
    units: lines.map((l) => l.unit),
    unitTransitions: lines.map(({ type, to }) => ({ type, to })),
    quantities: f.variances,
  })
}
