/*
 * What every stock operation decides the same way, as pure functions over loaded facts: which unit
 * transitions are legal, whether the actor may act at those places, whether quantity stock suffices,
 * and the plan of what to write. Each operation's own `*.rules.ts` adds its checks and calls
 * `planOperation`. No I/O here: these run in milliseconds in unit tests.
 */
import { AppError, IssueList } from '../../core/errors.js'
import type { DocumentType } from '../documents/document-types.rules.js'
import type { QuantityLine } from '../ledger/event.rules.js'
import {
  type LatestEvent,
  type LineTransition,
  TRANSITIONS,
  transitionRefusal,
  type UnitEventType,
  type UnitFact,
} from '../units/unit-status.rules.js'

export type { LatestEvent, UnitFact }

/** What decide knows besides the facts: when it is, who acts and where they may act. */
export interface DecideContext {
  now: Date
  actor: string
  /** Location paths the actor may act in (a store clerk's store); undefined means everywhere. */
  locationScope?: readonly string[]
}

/** A location as the rules need it: its code for messages, its path for "inside" checks. */
export interface LocationFact {
  id: string
  code: string
  path: string
}

/** A SKU as the quantity rules need it. */
export interface SkuFact {
  id: string
  code: string
  tracking: 'serial' | 'lot' | 'quantity'
  priceMinor: number
  allowNegative: boolean
}

/**
 * One quantity line of a command with what was loaded for it: the SKU, the lot (undefined when the
 * command named a lot that does not exist), the location and what is on hand there now.
 */
export interface QuantityFact {
  field: string
  sku: SkuFact
  lotCode?: string
  lotId: string | null | undefined
  location: LocationFact
  quantity: number
  priceMinor?: number
  onHand: number
  /** The latest event of that stock row, if any. */
  latestEvent?: LatestEvent
}

/** One change of quantity stock that an operation writes: the event's quantity line. */
export type PlannedQuantity = QuantityLine

/** A document the operation creates, or the existing one it adds an event to (a transfer's arrival). */
export type DocumentPlan =
  | {
      type: DocumentType
      /** The client's number; generated as PREFIX-<event seq> when absent. */
      number?: string
      prefix: string
      partyId?: string | null
      reference?: string | null
      toLocationId?: string | null
      data?: Record<string, unknown>
    }
  | { type: DocumentType; existingId: string; number: string }

/** Everything one stock operation writes: a document, one event, its unit and quantity lines. */
export interface OperationPlan {
  type: UnitEventType
  document: DocumentPlan
  /** Where the goods end up (or are, for events without a destination). */
  locationId: string | null
  fromLocationId: string | null
  reason: string | null
  /** Business time, ISO-8601 UTC. */
  occurredAt: string
  payload: Record<string, unknown>
  /** Each unit's line; `transition` only for an event whose lines name their own (a count's close). */
  units: readonly { unit: UnitFact; priceMinor: number | null; transition?: LineTransition }[]
  quantities: readonly PlannedQuantity[]
}

/** What an operation's decide hands to `planOperation`: the plan, with facts instead of ids. */
export interface OperationDraft extends Omit<OperationPlan, 'units' | 'quantities' | 'locationId' | 'fromLocationId'> {
  to: LocationFact | null
  from: LocationFact | null
  units: readonly UnitFact[]
  /** Sale price per unit, parallel to `units`. */
  unitPrices?: readonly (number | null)[]
  /** For an event whose lines name their own transition: each unit's, parallel to `units`. */
  unitTransitions?: readonly { type: UnitEventType; to: LocationFact | null }[]
  quantities: readonly DraftQuantity[]
}

/** A change of quantity stock as decided, with what the stock check needs (on hand before it). */
export interface DraftQuantity {
  sku: Pick<SkuFact, 'id' | 'code' | 'allowNegative'>
  lotId: string | null
  location: LocationFact
  delta: number
  priceMinor: number | null
  onHand: number
  /** The latest event of that stock row, if known. */
  latestEvent?: LatestEvent
}

/**
 * How far a command's business time may lie before the latest event of a unit or stock row it touches:
 * the clocks of tills, scanners and servers differ by a little, and a sale rung up at 10:00:00 on a
 * till a minute slow must not be refused for a move the server dated 10:00:30. Anything earlier is
 * refused: a unit received today cannot be sold in 2020 (which would also start its warranty then).
 */
export const BUSINESS_TIME_SKEW_MS = 5 * 60_000

/**
 * Checks what every operation must respect, in this order (so the first refusal a user sees does not
 * change): each unit's transition, the actor's locations, quantity stock, then the business time against
 * the latest event of everything touched. All refusals of one kind are thrown together, before anything
 * is written.
 */
export function planOperation(ctx: DecideContext, d: OperationDraft): OperationPlan {
  const lineType = (i: number) => d.unitTransitions?.[i]?.type ?? d.type
  refuseIllegalTransitions(d.type, d.units, d.unitTransitions)
  refuseLoosePackedUnits(d.units.filter((_, i) => lineType(i) === 'moved' || lineType(i) === 'transfer_shipped'))
  // Shipping a transfer may name another site as destination; receiving it there needs that site.
  const destination = d.type === 'transfer_shipped' ? null : d.to
  refuseOutsideScope(ctx, [
    ...d.units.map((u) => u.locationPath),
    destination?.path ?? null,
    d.from?.path ?? null,
    ...d.quantities.map((q) => q.location.path),
  ])
  refuseInsufficientStock(d.quantities)
  refuseBeforeLatestEvents(d.type, d.occurredAt, d.units, d.quantities)
  return {
    type: d.type,
    document: d.document,
    locationId: d.to?.id ?? null,
    fromLocationId: d.from?.id ?? null,
    reason: d.reason,
    occurredAt: d.occurredAt,
    payload: d.payload,
    units: d.units.map((unit, i) => {
      const t = d.unitTransitions?.[i]
      const line = { unit, priceMinor: d.unitPrices?.[i] ?? null }
      return t ? { ...line, transition: { type: t.type, locationId: t.to?.id ?? null } } : line
    }),
    quantities: d.quantities.map((q) => ({
      skuId: q.sku.id,
      lotId: q.lotId,
      locationId: q.location.id,
      delta: q.delta,
      costMinor: null,
      priceMinor: q.priceMinor,
    })),
  }
}

/**
 * Moving or shipping a packed unit on its own would leave its container behind: it is refused unless the
 * command named the unit's container (which takes all its contents along).
 */
export function refuseLoosePackedUnits(units: readonly UnitFact[]): void {
  const issues = new IssueList()
  units.forEach((u, i) => {
    if (u.containerCode !== undefined && u.viaContainer === undefined)
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message:
          `${u.skuCode} ${u.serial} is packed in ${u.containerCode}: ` + 'scan the container, or unpack the unit first',
      })
  })
  issues.throwIfAny('container.packed_unit', 'packed units')
}

/**
 * Refuses every unit whose status does not allow the event (the unit state machine); for an event whose
 * lines name their own transition, each unit is checked against its line's, which the event must allow.
 */
export function refuseIllegalTransitions(
  type: UnitEventType,
  units: readonly UnitFact[],
  perLine?: readonly { type: UnitEventType }[],
): void {
  const allowed = TRANSITIONS[type].perLine
  if ((perLine !== undefined) !== (allowed !== undefined) || perLine?.some((t) => !allowed!.includes(t.type)))
    throw new AppError('internal', `${type} lines name ${allowed ? 'one of ' + allowed.join(', ') : 'no transition'}`)
  const issues = new IssueList()
  units.forEach((u, i) => {
    const refusal = transitionRefusal(perLine?.[i]?.type ?? type, u)
    if (refusal) issues.add({ row: i + 1, field: `units[${i}]`, value: u.serial, message: refusal })
  })
  issues.throwIfAny('unit.illegal_transition', 'not allowed')
}

/** Refuses a command touching stock outside the actor's locations (a Store A clerk selling Store B's unit). */
export function refuseOutsideScope(ctx: DecideContext, paths: readonly (string | null)[]): void {
  const allowed = ctx.locationScope
  if (!allowed) return
  const outside = paths.filter((p): p is string => p !== null && !allowed.some((s) => p.startsWith(s)))
  if (outside.length > 0)
    throw new AppError(
      'auth.out_of_scope',
      `${ctx.actor} may not act at ${[...new Set(outside)].slice(0, 5).join(', ')}`,
    )
}

/** Why an event at `occurredAt` would come too early after `latest`, or undefined when it may be written. */
export function beforeLatestEvent(type: UnitEventType, occurredAt: string, latest: LatestEvent | undefined) {
  if (!latest || Date.parse(latest.occurredAt) - Date.parse(occurredAt) <= BUSINESS_TIME_SKEW_MS) return undefined
  return (
    `${type.replace('_', ' ')} at ${occurredAt} would come before its latest event, ` +
    `${latest.type.replace('_', ' ')} at ${latest.occurredAt}`
  )
}

/**
 * Refuses a business time earlier (by more than BUSINESS_TIME_SKEW_MS) than the latest event of any
 * unit or stock row the command touches, naming each unit and that event.
 */
export function refuseBeforeLatestEvents(
  type: UnitEventType,
  occurredAt: string,
  units: readonly UnitFact[],
  quantities: readonly DraftQuantity[],
): void {
  const issues = new IssueList()
  units.forEach((u, i) => {
    const refusal = beforeLatestEvent(type, occurredAt, u.latestEvent)
    if (refusal)
      issues.add({ row: i + 1, field: `units[${i}]`, value: u.serial, message: `${u.skuCode} ${u.serial}: ${refusal}` })
  })
  quantities.forEach((q, i) => {
    const refusal = beforeLatestEvent(type, occurredAt, q.latestEvent)
    if (refusal)
      issues.add({
        field: `quantities[${i}]`,
        value: q.sku.code,
        message: `${q.sku.code} at ${q.location.code}: ${refusal}`,
      })
  })
  issues.throwIfAny('time.before_latest_event', 'business time before the latest event')
}

/**
 * Refuses lines that would take quantity stock below zero, unless the SKU allows negative stock. Deltas
 * on the same SKU, location and lot are summed first (a move out and back in is no change).
 */
export function refuseInsufficientStock(lines: readonly DraftQuantity[]): void {
  const totals = new Map<string, { line: DraftQuantity; delta: number }>()
  for (const l of lines) {
    const key = `${l.sku.id}|${l.location.id}|${l.lotId ?? ''}`
    const t = totals.get(key) ?? totals.set(key, { line: l, delta: 0 }).get(key)!
    t.delta += l.delta
  }
  const issues = new IssueList()
  for (const { line, delta } of totals.values()) {
    if (delta >= 0 || line.sku.allowNegative) continue
    const code = line.sku.code
    if (line.onHand + delta < 0)
      issues.add({
        field: 'quantities',
        value: code,
        message: `${code}: ${-delta} needed, ${line.onHand} on hand at that location`,
      })
  }
  issues.throwIfAny('stock.insufficient', 'not enough stock')
}

/**
 * Checks a quantity line against its SKU's tracking: a serial-tracked SKU is listed by serial, a
 * lot-tracked one names an existing lot, a quantity-tracked one names none.
 */
export function refuseBadQuantityLine(q: QuantityFact): void {
  const { sku, field } = q
  if (sku.tracking === 'serial')
    throw new AppError('sku.wrong_tracking', `${field}: ${sku.code} is serial-tracked; list its units by serial`)
  if (sku.tracking === 'lot' && !q.lotCode)
    throw new AppError('request.invalid', `${field}.lot: ${sku.code} is lot-tracked; name the lot`)
  if (sku.tracking === 'quantity' && q.lotCode)
    throw new AppError('request.invalid', `${field}.lot: ${sku.code} has no lots`)
  if (q.lotCode && q.lotId === undefined) throw new AppError('request.invalid', `${sku.code} has no lot ${q.lotCode}`)
}

/**
 * The quantity lines of a command as the plan writes them, each checked against its SKU: `sign` is -1
 * for stock leaving, +1 for arriving. Stock leaving carries the SKU's price unless the line names one.
 */
export function plannedQuantities(facts: readonly QuantityFact[], sign: 1 | -1): DraftQuantity[] {
  return facts.map((fact) => {
    refuseBadQuantityLine(fact)
    const priceMinor = fact.priceMinor ?? (sign < 0 ? fact.sku.priceMinor : null)
    const { sku, location, onHand, latestEvent } = fact
    const lotId = fact.lotId ?? null
    return { sku, lotId, location, delta: sign * fact.quantity, priceMinor, onHand, latestEvent }
  })
}

/** Throws unless every unit sits inside `ancestor` (a location subtree). */
export function refuseUnitsOutside(units: readonly UnitFact[], ancestor: LocationFact): void {
  const issues = new IssueList()
  units.forEach((u, i) => {
    if (!u.locationPath?.startsWith(ancestor.path))
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.skuCode} ${u.serial} is not at ${ancestor.code}`,
      })
  })
  issues.throwIfAny('unit.wrong_location', 'units are elsewhere')
}

/** Throws unless every quantity line's stock sits inside `ancestor` (packed stock of a container taken whole). */
export function refuseStockOutside(lines: readonly QuantityFact[], ancestor: LocationFact): void {
  const issues = new IssueList()
  lines.forEach((q) => {
    if (!isWithin(q.location, ancestor))
      issues.add({
        field: q.field,
        value: q.sku.code,
        message: `${q.sku.code} at ${q.location.code} is not at ${ancestor.code}`,
      })
  })
  issues.throwIfAny('unit.wrong_location', 'stock is elsewhere')
}

/** The payload part of an event that takes containers whole: their codes (their packed stock follows). */
export const containersTaken = (codes: readonly string[] | undefined) =>
  codes && codes.length > 0 ? { containers: [...codes] } : {}

/** Refuses a command that names neither a unit nor a quantity. */
export function refuseEmpty(units: readonly unknown[], quantities: readonly unknown[]): void {
  if (units.length === 0 && quantities.length === 0)
    throw new AppError('request.invalid', 'name at least one unit or quantity')
}

/** The business time of a command: the one it gives, or now; always ISO-8601 UTC. */
export const businessTime = (given: string | undefined, now: Date): string =>
  given ? new Date(given).toISOString() : now.toISOString()

/** True when `loc` is `ancestor` or lies beneath it. */
export const isWithin = (loc: LocationFact, ancestor: LocationFact): boolean => loc.path.startsWith(ancestor.path)
