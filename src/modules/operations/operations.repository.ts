import type { WriteScope } from '../../core/context.js'
import { createDocument } from '../documents/index.js'
import { EventWriter } from '../ledger/index.js'
import { lineTransitionText } from '../units/unit-status.rules.js'
import type { OperationPlan } from './operations.rules.js'
import type { OperationResult } from './operations.schemas.js'
import { nextEventSeq } from '../../db/transaction.js'

/**
 * Writes what an operation decided: its document (or the existing one it continues), one ledger event
 * with its unit and quantity lines, and the projections those lines update. Nothing here checks a rule:
 * the plan was decided, and refused if it had to be, before anything is written.
 */
export async function writePlan(scope: WriteScope, plan: OperationPlan): Promise<OperationResult> {
  const d = plan.document
  const document =
    'existingId' in d
      ? { id: d.existingId, number: d.number }
      : await createDocument(scope.trx, {
          type: d.type,
          number: d.number ?? { prefix: d.prefix, seq: await nextEventSeq(scope.trx, scope.head) },
          partyId: d.partyId,
          locationId: plan.fromLocationId ?? plan.locationId,
          toLocationId: d.toLocationId,
          reference: d.reference,
          occurredAt: plan.occurredAt,
          actor: scope.actor,
          data: { reason: plan.reason, ...d.data },
          createdAt: scope.now,
        })
  const writer = await EventWriter.start(scope.trx, scope.head, {
    type: plan.type,
    occurredAt: plan.occurredAt,
    recordedAt: scope.now.toISOString(),
    actor: scope.actor,
    locationId: plan.locationId,
    fromLocationId: plan.fromLocationId,
    reason: plan.reason,
    documentType: d.type,
    documentId: document.id,
    payload: plan.payload,
  })
  await writer.addUnits(
    plan.units.map(({ unit: u, priceMinor, transition }) => ({
      unitId: u.id,
      skuId: u.skuId,
      serial: u.serial,
      lotId: u.lotId,
      costMinor: null,
      priceMinor,
      attributes: transition ? lineTransitionText(transition) : null,
    })),
  )
  await writer.addQuantities(plan.quantities)
  const event = await writer.finish()
  const quantity = plan.quantities.reduce((sum, q) => sum + Math.abs(q.delta), 0)
  return {
    documentId: document.id,
    number: document.number,
    eventId: event.id,
    eventSeq: event.seq,
    unitCount: event.unitCount,
    quantity,
  }
}
