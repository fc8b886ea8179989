import type { WriteScope } from '../../core/context.js'
import { canonicalJson, EventWriter } from '../ledger/index.js'
import type { CountedPayload } from '../ledger/index.js'
import { type OperationPlan, writePlan } from '../operations/index.js'
import type { ScanPlan } from './counts.rules.js'
import type { CloseCountResult, ScanResult } from './counts.schemas.js'

/**
 * Writes a batch of scans: first the `found` of units the ledger had as missing, then one `counted`
 * event whose unit lines are the units seen (each carrying its scan key), whose quantity lines are the
 * quantities counted, and whose payload names the serials nobody knows. A batch of replays writes nothing.
 */
export async function writeScans(scope: WriteScope, plan: ScanPlan): Promise<ScanResult> {
  const recorded = plan.units.length + plan.quantities.length + plan.unknown.length
  const answer = { number: plan.count.number, accepted: recorded, replayed: plan.replayed, flags: plan.flags }
  if (recorded === 0) return { ...answer, eventSeq: null }
  if (plan.found) await writePlan(scope, plan.found)
  const payload: CountedPayload = {
    count: plan.count.id,
    quantityKeys: plan.quantities.map((q) => q.key),
    unknown: plan.unknown,
  }
  const writer = await EventWriter.start(scope.trx, scope.head, {
    type: 'counted',
    occurredAt: plan.occurredAt,
    recordedAt: scope.now.toISOString(),
    actor: scope.actor,
    locationId: plan.location.id,
    fromLocationId: null,
    reason: null,
    documentType: 'count',
    documentId: plan.count.id,
    payload: payload as unknown as Record<string, unknown>,
  })
  await writer.addUnits(
    plan.units.map(({ unit: u, key }) => ({
      unitId: u.id,
      skuId: u.skuId,
      serial: u.serial,
      lotId: u.lotId,
      costMinor: null,
      priceMinor: null,
      attributes: canonicalJson({ key }),
    })),
  )
  await writer.addQuantities(
    plan.quantities.map((q) => ({
      skuId: q.skuId,
      lotId: q.lotId,
      locationId: plan.location.id,
      delta: q.quantity,
      costMinor: null,
      priceMinor: null,
    })),
  )
  const event = await writer.finish()
  return { ...answer, eventSeq: event.seq }
}

/** Writes a count's close: its one `count_closed` event, with the totals of what its lines did. */
export async function writeClose(scope: WriteScope, plan: OperationPlan): Promise<CloseCountResult> {
  const result = await writePlan(scope, plan)
  const lines = (type: string) => plan.units.filter((u) => u.transition?.type === type).length
  return {
    number: result.number,
    eventSeq: result.eventSeq,
    missing: lines('lost'),
    moved: lines('moved'),
    found: lines('found'),
    quantityLines: plan.quantities.length,
  }
}
