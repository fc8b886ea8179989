import { toMinor } from '../../core/money.js'
import { businessTime } from '../operations/operations.rules.js'
import { defineOperation, idsOf, loadUnits, stockOperation } from '../operations/index.js'
import { getPartyByCode } from '../parties/index.js'
import { resolveUnits, type UnitFact } from '../units/index.js'
import type { Executor } from '../../db/database.js'
import { rowsForKeys } from '../../db/lookups.js'
import { getClaim } from './claims.queries.js'
import { loadAttachments, loadDefectCodes } from './defect-codes.service.js'
import {
  decideClaimStatus,
  decideCloseRecall,
  decideInspect,
  decideOpenClaim,
  decideOpenRecall,
  decideQuarantine,
  decideRecallOutcome,
  decideRelease,
  decideShipClaim,
  refuseClosedRecall,
} from './quality.rules.js'
import {
  ClaimNumberParams,
  ClaimStatusRequest,
  CloseRecallRequest,
  InspectRequest,
  OpenClaimRequest,
  OpenRecallRequest,
  QuarantineRecallRequest,
  QuarantineRequest,
  QuarantineResult,
  RecallNumberParams,
  RecallOutcomeRequest,
  ReleaseRequest,
  ShipClaimRequest,
} from './quality.schemas.js'
import { affectedAmong, getRecall, holdRecalledUnits, recallsAffecting, resolveCriteria } from './recall.queries.js'

/** Records an inspection of units (pass, or fail with defect codes); a failed one may quarantine them. */
export const inspect = stockOperation({
  name: 'inspect',
  url: '/inspections',
  summary: 'Inspect units at a stage: pass or fail with defect codes and attachments; a failure may quarantine',
  tag: 'quality',
  policy: 'stock.operate',
  body: InspectRequest,
  events: ['inspected', 'quarantined'],
  document: 'inspection',
  load: async (trx, cmd) => ({
    units: await loadUnits(trx, cmd.units),
    codes: await loadDefectCodes(trx, cmd.defectCodes),
    attachments: await loadAttachments(trx, cmd.attachments),
  }),
  decide: (cmd, f, ctx) => decideInspect({ ...cmd, defectCodes: cmd.defectCodes.map((c) => c.toUpperCase()) }, f, ctx),
})

/** Quarantines units where they are: they cannot be sold, sent to a store or transferred. */
export const quarantine = stockOperation({
  name: 'quarantine',
  url: '/quarantine',
  summary: 'Quarantine units where they stand (no sale, no move to a store, no transfer)',
  tag: 'quality',
  policy: 'stock.operate',
  body: QuarantineRequest,
  events: ['quarantined'],
  document: 'quarantine',
  load: async (trx, cmd) => ({ units: await loadUnits(trx, cmd.units) }),
  decide: decideQuarantine,
})

/** Releases quarantined units to stock: a manager, with a reason; not while an open recall covers them. */
export const release = stockOperation({
  name: 'release',
  url: '/quarantine/release',
  summary: 'Release quarantined units back to stock (a manager, with a reason)',
  tag: 'quality',
  policy: 'stock.adjust',
  body: ReleaseRequest,
  events: ['released'],
  document: 'quarantine',
  load: async (trx, cmd) => {
    const units = await loadUnits(trx, cmd.units)
    return {
      units,
      recalls: await recallsAffecting(trx, idsOf(units)),
    }
  },
  decide: decideRelease,
})

/** Opens a recall campaign over criteria (checked and resolved once). */
export const openRecall = stockOperation({
  name: 'openRecall',
  url: '/recalls',
  summary: 'Open a recall: SKUs, lots, supplier, receipts, serials, dates, locations passed through',
  tag: 'quality',
  policy: 'stock.adjust',
  body: OpenRecallRequest,
  events: ['recall_opened'],
  document: 'recall',
  load: async (trx, cmd) => ({ resolved: await resolveCriteria(trx, cmd.criteria) }),
  decide: decideOpenRecall,
})

/** Quarantines, in one event, every unit the recall affects that is on our shelves. */
export const quarantineRecall = defineOperation({
  name: 'quarantineRecall',
  url: '/recalls/:number/quarantine',
  summary: 'Quarantine every affected unit in stock in one event (in transit: on arrival)',
  tag: 'quality',
  policy: 'stock.adjust',
  params: RecallNumberParams,
  body: QuarantineRecallRequest,
  response: QuarantineResult,
  events: ['quarantined'],
  document: 'recall',
  load: async (trx, cmd) => ({ recall: await getRecall(trx, cmd.number) }),
  decide: (cmd, f, ctx) => {
    refuseClosedRecall(f.recall)
    return { recall: f.recall, occurredAt: businessTime(cmd.quarantinedAt, ctx.now) }
  },
  write: (scope, plan) => holdRecalledUnits(scope, plan.recall, 'recall', plan.occurredAt),
})

/** Records what became of affected units: returned, repaired, replaced, refunded, destroyed, unreachable. */
export const recordRecallOutcome = stockOperation({
  name: 'recordRecallOutcome',
  url: '/recalls/:number/outcomes',
  summary: 'Record an outcome for affected units (returned, repaired, replaced, refunded, destroyed, unreachable)',
  tag: 'quality',
  policy: 'stock.operate',
  params: RecallNumberParams,
  body: RecallOutcomeRequest,
  events: ['recall_outcome'],
  document: 'recall',
  load: async (trx, cmd) => {
    const recall = await getRecall(trx, cmd.number)
    const units = await loadUnits(trx, cmd.units)
    return {
      recall,
      units,
      affected: await affectedAmong(trx, recall.resolved, idsOf(units)),
    }
  },
  decide: decideRecallOutcome,
})

/** Closes a recall: sales and receipts are no longer checked against it. */
export const closeRecall = stockOperation({
  name: 'closeRecall',
  url: '/recalls/:number/close',
  summary: 'Close a recall',
  tag: 'quality',
  policy: 'stock.adjust',
  params: RecallNumberParams,
  body: CloseRecallRequest,
  events: ['recall_closed'],
  document: 'recall',
  load: async (trx, cmd) => ({ recall: await getRecall(trx, cmd.number) }),
  decide: decideCloseRecall,
})

/** What opening a claim checks: the supplier, and the supplier each unit was received from. */
export async function loadClaimFacts(trx: Executor, supplier: string, units: UnitFact[]) {
  const rows = await rowsForKeys(idsOf(units), (ids) =>
    trx.selectFrom('unit').select(['id', 'supplier_id']).where('id', 'in', ids).execute(),
  )
  return {
    supplier: await getPartyByCode(trx, supplier, 'supplier'),
    units,
    supplierOf: new Map(rows.map((r) => [r.id, r.supplier_id])),
  }
}

/** Opens a claim to a supplier for units it delivered. */
export const openClaim = stockOperation({
  name: 'openClaim',
  url: '/claims',
  summary: 'Open a supplier claim for units it delivered (evidence pack per unit)',
  tag: 'quality',
  policy: 'stock.adjust',
  body: OpenClaimRequest,
  events: ['claim_opened'],
  document: 'claim',
  load: async (trx, cmd) => loadClaimFacts(trx, cmd.supplier, await loadUnits(trx, cmd.units)),
  decide: decideOpenClaim,
})

/** Ships a claim's units back to the supplier. */
export const shipClaim = stockOperation({
  name: 'shipClaim',
  url: '/claims/:number/shipment',
  summary: "Ship a claim's units back to the supplier (returned_to_vendor)",
  tag: 'quality',
  policy: 'stock.adjust',
  params: ClaimNumberParams,
  body: ShipClaimRequest,
  events: ['returned_to_vendor'],
  document: 'claim',
  load: async (trx, cmd) => {
    const claim = await getClaim(trx, cmd.number)
    if (cmd.units.length > 0) return { claim, units: await loadUnits(trx, cmd.units) }
    const left = await rowsForKeys(claim.unitIds, (ids) =>
      trx
        .selectFrom('unit as u')
        .innerJoin('sku as s', 's.id', 'u.sku_id')
        .select(['u.serial', 's.code as sku'])
        .where('u.id', 'in', ids)
        .where('u.status', '<>', 'returned_to_vendor')
        .execute(),
    )
    return { claim, units: left.length ? await resolveUnits(trx, left) : [] }
  },
  decide: decideShipClaim,
})

/** Moves a claim on: sent, accepted, rejected, credited. */
export const changeClaimStatus = stockOperation({
  name: 'changeClaimStatus',
  url: '/claims/:number/status',
  summary: 'Move a claim on: sent, accepted, rejected, credited (amount and credit note)',
  tag: 'quality',
  policy: 'stock.adjust',
  params: ClaimNumberParams,
  body: ClaimStatusRequest,
  events: ['claim_status_changed'],
  document: 'claim',
  load: async (trx, cmd) => ({ claim: await getClaim(trx, cmd.number) }),
  decide: (cmd, f, ctx) =>
    decideClaimStatus(
      { ...cmd, creditedAmountMinor: cmd.creditedAmount === undefined ? undefined : toMinor(cmd.creditedAmount) },
      f,
      ctx,
    ),
})
