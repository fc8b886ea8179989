/*
 * Quality control's pure rules: inspections, quarantine and release, the blocks a quarantine or an open
 * recall puts on a sale or a move, a recall's criteria, a supplier claim's status, and the statistics of
 * the defect analysis (Wilson interval, lift, ranking). No I/O here.
 */
import { AppError, IssueList } from '../../core/errors.js'
import * as op from '../operations/operations.rules.js'
import type { UnitFact } from '../units/unit-status.rules.js'

// ---------------------------------------------------------------------------------------------------------
// Inspections, quarantine, release

export const INSPECTION_STAGES = ['receiving', 'return', 'ad_hoc', 'repair'] as const
export type InspectionStage = (typeof INSPECTION_STAGES)[number]
export const INSPECTION_RESULTS = ['pass', 'fail'] as const
export type InspectionResult = (typeof INSPECTION_RESULTS)[number]

/** The event reason an inspection carries: what the defect analysis counts without reading payloads. */
export const inspectionReason = (result: InspectionResult) => `inspection_${result}` as const
export const FAILED_INSPECTION = inspectionReason('fail')

/** An attachment as the inspection's event records it. */
export interface AttachmentRef {
  sha256: string
  name: string
  contentType: string
  size: number
}

/** The content types an attachment may have, by the bytes each format starts with. */
const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x),
  'image/webp': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
  'application/pdf': (b) => ascii(b, 0, 5) === '%PDF-',
}
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to))

/**
 * Refuses an attachment whose content is not what its declared type says (a renamed .exe, an HTML page
 * sent as a photo): the content is served back under that type, so it must really be a JPEG, PNG, WebP or PDF.
 */
export function refuseWrongAttachmentType(name: string, contentType: string, bytes: Uint8Array): void {
  const matches = SIGNATURES[contentType]
  if (!matches) throw new AppError('attachment.wrong_type', `${name}: ${contentType} is not a photo or a PDF`)
  if (!matches(bytes)) {
    const actual = Object.keys(SIGNATURES).find((t) => SIGNATURES[t]!(bytes))
    throw new AppError(
      'attachment.wrong_type',
      `${name} is declared ${contentType} but its content is ${actual ?? 'none of JPEG, PNG, WebP or PDF'}`,
    )
  }
}

export interface InspectCommand {
  units: readonly unknown[]
  stage: InspectionStage
  result: InspectionResult
  defectCodes: readonly string[]
  notes?: string
  quarantine: boolean
  inspectedAt?: string
}

export interface InspectFacts {
  units: UnitFact[]
  /** Each named code's state: undefined when unknown, retired when it may no longer be used. */
  codes: ReadonlyMap<string, { retired: boolean }>
  attachments: readonly AttachmentRef[]
}

/**
 * An inspection of units at a stage: pass, or fail with its defect codes. A failed inspection that
 * quarantines its units is one `quarantined` event carrying the inspection; otherwise it is `inspected`.
 */
export function decideInspect(cmd: InspectCommand, f: InspectFacts, ctx: op.DecideContext): op.OperationPlan {
  if (cmd.units.length === 0) throw new AppError('request.invalid', 'units: name at least one unit to inspect')
  const issues = new IssueList()
  cmd.defectCodes.forEach((code, i) => {
    const known = f.codes.get(code)
    if (!known) issues.add({ field: `defectCodes[${i}]`, value: code, message: `no defect code ${code}` })
    else if (known.retired)
      issues.add({ field: `defectCodes[${i}]`, value: code, message: `defect code ${code} is retired` })
  })
  issues.throwIfAny('defect_code.not_found', 'unknown or retired defect codes')
  if (cmd.result === 'fail' && cmd.defectCodes.length === 0)
    throw new AppError('request.invalid', 'defectCodes: a failed inspection names at least one defect code')
  if (cmd.result === 'pass' && cmd.defectCodes.length > 0)
    throw new AppError('request.invalid', 'defectCodes: a passed inspection names no defect code')
  if (cmd.result === 'pass' && cmd.quarantine)
    throw new AppError('request.invalid', 'quarantine: only a failed inspection quarantines its units')
  const quarantines = cmd.result === 'fail' && cmd.quarantine
  if (quarantines) refuseInTransitHold(f.units)
  return op.planOperation(ctx, {
    type: quarantines ? 'quarantined' : 'inspected',
    document: { type: 'inspection', prefix: 'INS' },
    to: null,
    from: null,
    reason: inspectionReason(cmd.result),
    occurredAt: op.businessTime(cmd.inspectedAt, ctx.now),
    payload: {
      inspection: {
        stage: cmd.stage,
        result: cmd.result,
        defectCodes: [...cmd.defectCodes],
        notes: cmd.notes ?? null,
        attachments: f.attachments,
      },
    },
    units: f.units,
    quantities: [],
  })
}

/**
 * A unit in transit can be inspected where it is (the inspection is recorded, the unit keeps moving) but
 * not quarantined: it has no shelf to be held on until it arrives.
 */
function refuseInTransitHold(units: readonly UnitFact[]): void {
  const issues = new IssueList()
  units.forEach((u, i) => {
    if (u.status === 'in_transit')
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message:
          `${u.skuCode} ${u.serial} is in transit: record the inspection without quarantine, ` +
          'and quarantine the unit once it has arrived',
      })
  })
  issues.throwIfAny('unit.illegal_transition', 'units in transit cannot be quarantined')
}

/** Quarantines units by hand (a suspicion, a supplier's warning): they stay where they are, blocked. */
export function decideQuarantine(
  cmd: { units: readonly unknown[]; reason: string; quarantinedAt?: string },
  f: { units: UnitFact[] },
  ctx: op.DecideContext,
): op.OperationPlan {
  if (cmd.units.length === 0) throw new AppError('request.invalid', 'units: name at least one unit to quarantine')
  return op.planOperation(ctx, {
    type: 'quarantined',
    document: { type: 'quarantine', prefix: 'QUA' },
    to: null,
    from: null,
    reason: cmd.reason,
    occurredAt: op.businessTime(cmd.quarantinedAt, ctx.now),
    payload: {},
    units: f.units,
    quantities: [],
  })
}

/** Releases quarantined units back to stock: a manager's act (the route's policy), with a reason. */
export function decideRelease(
  cmd: { units: readonly unknown[]; reason: string; releasedAt?: string },
  f: { units: UnitFact[]; recalls: ReadonlyMap<string, string> },
  ctx: op.DecideContext,
): op.OperationPlan {
  if (cmd.units.length === 0) throw new AppError('request.invalid', 'units: name at least one unit to release')
  refuseRecalled(f.units, f.recalls, 'released')
  return op.planOperation(ctx, {
    type: 'released',
    document: { type: 'quarantine', prefix: 'REL' },
    to: null,
    from: null,
    reason: cmd.reason,
    occurredAt: op.businessTime(cmd.releasedAt, ctx.now),
    payload: {},
    units: f.units,
    quantities: [],
  })
}

/**
 * Refuses units an open recall affects (a sale scan, a release), naming the recall of each: a 409 the
 * till shows as it is. `recalls` maps a unit id to the number of the open recall that covers it.
 */
export function refuseRecalled(
  units: readonly UnitFact[],
  recalls: ReadonlyMap<string, string>,
  what: string,
  fieldOf: (i: number) => string = (i) => `units[${i}]`,
): void {
  const issues = new IssueList()
  const numbers = new Set<string>()
  units.forEach((u, i) => {
    const recall = recalls.get(u.id)
    if (!recall) return
    numbers.add(recall)
    issues.add({
      row: i + 1,
      field: fieldOf(i),
      value: u.serial,
      message: `${u.skuCode} ${u.serial} is under recall ${recall}; it cannot be ${what}`,
    })
  })
  issues.throwIfAny('recall.affected', `under recall ${[...numbers].join(', ')}`)
}

/** Refuses a move of quarantined units to a sales location (a store): they may go to a bin, not a shelf. */
export function refuseQuarantinedToStore(units: readonly UnitFact[], to: { code: string; kind?: string }): void {
  if (to.kind !== 'store') return
  const issues = new IssueList()
  units.forEach((u, i) => {
    if (u.status === 'quarantined')
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.skuCode} ${u.serial} is quarantined; it cannot be moved to the store ${to.code}`,
      })
  })
  issues.throwIfAny('unit.quarantined', 'quarantined units cannot go to a sales location')
}

// ---------------------------------------------------------------------------------------------------------
// Recalls

export const RECALL_OUTCOMES = ['returned', 'repaired', 'replaced', 'refunded', 'destroyed', 'unreachable'] as const
export type RecallOutcome = (typeof RECALL_OUTCOMES)[number]

/** A recall's criteria as given: codes and numbers, dates as ISO text. Every given criterion must hold. */
export interface RecallCriteria {
  skus?: string[]
  lots?: string[]
  supplier?: string
  receipts?: string[]
  serials?: string[]
  serialRange?: { from: string; to: string }
  receivedFrom?: string
  receivedTo?: string
  soldFrom?: string
  soldTo?: string
  passedThrough?: { location: string; from?: string; to?: string }
}

/** The criteria with their codes resolved to ids once (when the recall opens), as queries use them. */
export interface ResolvedCriteria {
  skuIds?: string[]
  lotIds?: string[]
  supplierId?: string
  receiptIds?: string[]
  serials?: string[]
  serialRange?: { from: string; to: string }
  received?: { from?: string; to?: string }
  sold?: { from?: string; to?: string }
  passedThrough?: { path: string; from?: string; to?: string }
}

/**
 * Checks criteria that need no lookup: at least one criterion, each range in order. Every bad field is
 * named; the refusal writes nothing.
 */
export function refuseBadCriteria(c: RecallCriteria): void {
  const issues = new IssueList()
  const given = Object.entries(c).filter(([, v]) => v !== undefined && (!Array.isArray(v) || v.length > 0))
  if (given.length === 0)
    issues.add({ field: 'criteria', message: 'name at least one criterion (SKUs, lots, supplier, receipts, …)' })
  const order = (field: string, from: string | undefined, to: string | undefined) => {
    if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to))
      issues.add({ field, value: `${from}..${to}`, message: `${field}: the start ${from} is after the end ${to}` })
  }
  order('criteria.receivedFrom', c.receivedFrom, c.receivedTo)
  order('criteria.soldFrom', c.soldFrom, c.soldTo)
  order('criteria.passedThrough.from', c.passedThrough?.from, c.passedThrough?.to)
  if (c.serialRange && c.serialRange.from > c.serialRange.to)
    issues.add({
      field: 'criteria.serialRange',
      value: `${c.serialRange.from}..${c.serialRange.to}`,
      message: `criteria.serialRange: ${c.serialRange.from} sorts after ${c.serialRange.to}`,
    })
  issues.throwIfAny('recall.invalid_criteria', 'invalid recall criteria')
}

/** A recall as its document and events make it. */
export interface RecallFact {
  id: string
  number: string
  title: string
  status: 'open' | 'closed'
  criteria: RecallCriteria
  resolved: ResolvedCriteria
}

/** Opens a recall: one `recall_opened` event on a new recall document carrying its criteria. */
export function decideOpenRecall(
  cmd: { number?: string; title: string; criteria: RecallCriteria; openedAt?: string },
  f: { resolved: ResolvedCriteria },
  ctx: op.DecideContext,
): op.OperationPlan {
  refuseBadCriteria(cmd.criteria)
  return op.planOperation(ctx, {
    type: 'recall_opened',
    document: {
      type: 'recall',
      number: cmd.number,
      prefix: 'RCL',
      data: { title: cmd.title, criteria: cmd.criteria, resolved: f.resolved },
    },
    to: null,
    from: null,
    reason: 'recall',
    occurredAt: op.businessTime(cmd.openedAt, ctx.now),
    payload: { title: cmd.title, criteria: cmd.criteria },
    units: [],
    quantities: [],
  })
}

/** Refuses anything but reading on a closed recall. */
export function refuseClosedRecall(recall: RecallFact): void {
  if (recall.status === 'closed') throw new AppError('recall.closed', `recall ${recall.number} is closed`)
}

/** Records one outcome for units the recall affects (a unit it does not cover is refused, by row). */
export function decideRecallOutcome(
  cmd: { outcome: RecallOutcome; note?: string; units: readonly unknown[]; recordedAt?: string },
  f: { recall: RecallFact; units: UnitFact[]; affected: ReadonlySet<string> },
  ctx: op.DecideContext,
): op.OperationPlan {
  refuseClosedRecall(f.recall)
  if (f.units.length === 0) throw new AppError('request.invalid', 'units: name at least one unit')
  const issues = new IssueList()
  f.units.forEach((u, i) => {
    if (!f.affected.has(u.id))
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.skuCode} ${u.serial} is not affected by recall ${f.recall.number}`,
      })
  })
  issues.throwIfAny('request.invalid', `units outside recall ${f.recall.number}`)
  return op.planOperation(ctx, {
    type: 'recall_outcome',
    document: { type: 'recall', existingId: f.recall.id, number: f.recall.number },
    to: null,
    from: null,
    reason: cmd.outcome,
    occurredAt: op.businessTime(cmd.recordedAt, ctx.now),
    payload: { outcome: cmd.outcome, note: cmd.note ?? null },
    units: f.units,
    quantities: [],
  })
}

/** Closes a recall (once): after it, sales and receipts are no longer checked against it. */
export function decideCloseRecall(
  cmd: { reason?: string; closedAt?: string },
  f: { recall: RecallFact },
  ctx: op.DecideContext,
): op.OperationPlan {
  refuseClosedRecall(f.recall)
  return op.planOperation(ctx, {
    type: 'recall_closed',
    document: { type: 'recall', existingId: f.recall.id, number: f.recall.number },
    to: null,
    from: null,
    reason: cmd.reason ?? 'recall closed',
    occurredAt: op.businessTime(cmd.closedAt, ctx.now),
    payload: {},
    units: [],
    quantities: [],
  })
}

// ---------------------------------------------------------------------------------------------------------
// Supplier claims

export const CLAIM_STATUSES = ['open', 'sent', 'accepted', 'rejected', 'credited'] as const
export type ClaimStatus = (typeof CLAIM_STATUSES)[number]

/** Where a claim may go from each status; credited and rejected are final. */
const CLAIM_NEXT: Record<ClaimStatus, readonly ClaimStatus[]> = {
  open: ['sent'],
  sent: ['accepted', 'rejected'],
  accepted: ['credited'],
  rejected: [],
  credited: [],
}

export interface ClaimFact {
  id: string
  number: string
  status: ClaimStatus
  supplierId: string
  unitIds: readonly string[]
}

/** Opens a claim to a supplier for units it delivered (a unit from another supplier is refused, by row). */
export function decideOpenClaim(
  cmd: { number?: string; reason: string; reference?: string; openedAt?: string },
  f: { supplier: { id: string; code: string }; units: UnitFact[]; supplierOf: ReadonlyMap<string, string | null> },
  ctx: op.DecideContext,
): op.OperationPlan {
  if (f.units.length === 0) throw new AppError('request.invalid', 'units: name at least one unit to claim')
  const issues = new IssueList()
  f.units.forEach((u, i) => {
    if (f.supplierOf.get(u.id) !== f.supplier.id)
      issues.add({
        row: i + 1,
        field: `units[${i}]`,
        value: u.serial,
        message: `${u.skuCode} ${u.serial} was not received from ${f.supplier.code}`,
      })
  })
  issues.throwIfAny('request.invalid', `units not delivered by ${f.supplier.code}`)
  return op.planOperation(ctx, {
    type: 'claim_opened',
    document: { type: 'claim', number: cmd.number, prefix: 'CLM', partyId: f.supplier.id, reference: cmd.reference },
    to: null,
    from: null,
    reason: cmd.reason,
    occurredAt: op.businessTime(cmd.openedAt, ctx.now),
    payload: { supplierId: f.supplier.id },
    units: f.units,
    quantities: [],
  })
}

/** Ships a claim's units back to the supplier (`returned_to_vendor`); only units of the claim. */
export function decideShipClaim(
  cmd: { shippedAt?: string },
  f: { claim: ClaimFact; units: UnitFact[] },
  ctx: op.DecideContext,
): op.OperationPlan {
  if (f.claim.status === 'rejected' || f.claim.status === 'credited')
    throw new AppError('claim.invalid_status', `claim ${f.claim.number} is ${f.claim.status}`)
  const strays = f.units.filter((u) => !f.claim.unitIds.includes(u.id))
  if (strays.length > 0)
    throw new AppError(
      'request.invalid',
      `units: ${strays.map((u) => `${u.skuCode} ${u.serial}`).join(', ')} not on claim ${f.claim.number}`,
    )
  if (f.units.length === 0)
    throw new AppError('claim.invalid_status', `claim ${f.claim.number} has no unit left to ship`)
  return op.planOperation(ctx, {
    type: 'returned_to_vendor',
    document: { type: 'claim', existingId: f.claim.id, number: f.claim.number },
    to: null,
    from: null,
    reason: 'supplier claim',
    occurredAt: op.businessTime(cmd.shippedAt, ctx.now),
    payload: { supplierId: f.claim.supplierId },
    units: f.units,
    quantities: [],
  })
}

/** Moves a claim on: sent, accepted, rejected, credited (with the amount and the credit note). */
export function decideClaimStatus(
  cmd: { status: ClaimStatus; creditedAmountMinor?: number; creditNote?: string; note?: string; at?: string },
  f: { claim: ClaimFact },
  ctx: op.DecideContext,
): op.OperationPlan {
  const { claim } = f
  if (!CLAIM_NEXT[claim.status].includes(cmd.status))
    throw new AppError(
      'claim.invalid_status',
      `claim ${claim.number} is ${claim.status}; it can go to ${CLAIM_NEXT[claim.status].join(' or ') || 'nothing'}` +
        `, not ${cmd.status}`,
    )
  if (cmd.status === 'credited' && (cmd.creditedAmountMinor === undefined || !cmd.creditNote))
    throw new AppError('request.invalid', 'creditedAmount and creditNote: a credited claim names both')
  return op.planOperation(ctx, {
    type: 'claim_status_changed',
    document: { type: 'claim', existingId: claim.id, number: claim.number },
    to: null,
    from: null,
    reason: cmd.status,
    occurredAt: op.businessTime(cmd.at, ctx.now),
    payload: {
      status: cmd.status,
      creditedAmountMinor: cmd.creditedAmountMinor ?? null,
      creditNote: cmd.creditNote ?? null,
      note: cmd.note ?? null,
    },
    units: [],
    quantities: [],
  })
}
