import type { WriteScope } from '../../core/context.js'
import { newId } from '../../core/ids.js'
import { startDocument } from '../documents/index.js'
import { EventWriter } from '../ledger/index.js'
import { lineTransitionText } from '../units/unit-status.rules.js'
import type { OperationPlan } from './operations.rules.js'
import type { OperationResult } from './operations.schemas.js'

/**
 * Writes what an operation decided: its document (or the existing one it continues), one ledger event
 * with its unit and quantity lines, and the projections those lines update. Nothing here checks a rule:
 * the plan was decided, and refused if it had to be, before anything is written.
 */
export async function writePlan(scope: WriteScope, plan: OperationPlan): Promise<OperationResult> {
  const d = plan.document
  const documentId = 'existingId' in d ? d.existingId : newId()
  const writer = await EventWriter.start(scope.trx, scope.head, {
    type: plan.type,
    occurredAt: plan.occurredAt,
    recordedAt: scope.now.toISOString(),
    actor: scope.actor,
    locationId: plan.locationId,
    fromLocationId: plan.fromLocationId,
    reason: plan.reason,
    documentType: d.type,
    documentId,
    payload: plan.payload,
  })
  // A new document goes with the event's writes (a generated number takes the event's seq).
  const numberOf =
    'existingId' in d
      ? () => d.number
      : await startDocument(
          scope.trx,
          documentId,
          {
            type: d.type,
            number: d.number ?? { prefix: d.prefix, seq: writer.header.seq },
            partyId: d.partyId,
            locationId: plan.fromLocationId ?? plan.locationId,
            toLocationId: d.toLocationId,
            reference: d.reference,
            occurredAt: plan.occurredAt,
            actor: scope.actor,
            data: { reason: plan.reason, ...d.data },
            createdAt: scope.now,
          },
          writer.hold,
        )
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
    documentId,
    number: numberOf(),
    eventId: event.id,
    eventSeq: event.seq,
    unitCount: event.unitCount,
    quantity,
  }
}
