import type { WriteScope } from '../../core/context.js'
import { IssueList } from '../../core/errors.js'
import { getSkusByIds } from '../catalog/index.js'
import { createDocument, type DocumentType } from '../documents/documents.js'
import type { EventPayload, QuantityLine } from '../ledger/event.js'
import { EventWriter } from '../ledger/ledger-writer.js'
import { assertInLocationScope } from '../locations/index.js'
import type { LoadedUnit } from '../units/unit.repository.js'
import { transitionRefusal, type UnitEventType } from '../units/unit-status.js'
import type { OperationResult } from './operations.schemas.js'
import { assertStockAvailable } from './quantities.js'

interface NewDocumentPlan {
  type: DocumentType
  number?: string
  prefix: string
  partyId?: string | null
  reference?: string | null
  toLocationId?: string | null
  data?: Record<string, unknown>
}

/** Everything one stock operation writes: a document, one event, its unit and quantity lines. */
export interface OperationPlan {
  type: UnitEventType
  document: NewDocumentPlan | { type: DocumentType; existingId: string; number: string }
  /** Where the goods end up (or are, for events without a destination). */
  locationId: string | null
  fromLocationId: string | null
  reason: string | null
  occurredAt?: string
  payload: EventPayload
  units: readonly LoadedUnit[]
  /** Sale price per unit, parallel to `units`. */
  unitPrices?: readonly (number | null)[]
  quantities: readonly QuantityLine[]
}

/**
 * Checks every unit's transition and the quantity stock, then writes the document and one event. All
 * refusals are collected and thrown together, before anything is written.
 */
export async function recordOperation(scope: WriteScope, plan: OperationPlan): Promise<OperationResult> {
  const issues = new IssueList()
  plan.units.forEach((u, i) => {
    const refusal = transitionRefusal(plan.type, u)
    if (refusal) issues.add({ row: i + 1, field: `units[${i}]`, value: u.serial, message: refusal })
  })
  issues.throwIfAny('unit.illegal_transition', 'not allowed')
  // Shipping a transfer may name another site as destination; receiving it there needs that site.
  const destination = plan.type === 'transfer_shipped' ? null : plan.locationId
  await assertInLocationScope(
    scope,
    plan.units.map((u) => u.locationPath),
    [destination, plan.fromLocationId, ...plan.quantities.map((q) => q.locationId)],
  )
  await assertStockAvailable(
    scope.trx,
    plan.quantities,
    await getSkusByIds(
      scope.trx,
      plan.quantities.map((q) => q.skuId),
    ),
  )

  const occurredAt = plan.occurredAt ? new Date(plan.occurredAt).toISOString() : scope.now.toISOString()
  const d = plan.document
  const document =
    'existingId' in d
      ? { id: d.existingId, number: d.number }
      : await createDocument(scope.trx, {
          type: d.type,
          number: d.number ?? { prefix: d.prefix, seq: scope.head.seq + 1 },
          partyId: d.partyId,
          locationId: plan.fromLocationId ?? plan.locationId,
          toLocationId: d.toLocationId,
          reference: d.reference,
          occurredAt,
          actor: scope.actor,
          data: { reason: plan.reason, ...d.data },
          createdAt: scope.now,
        })
  const writer = new EventWriter(scope.trx, scope.head, {
    type: plan.type,
    occurredAt,
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
    plan.units.map((u, i) => ({
      unitId: u.id,
      skuId: u.skuId,
      serial: u.serial,
      lotId: u.lotId,
      costMinor: null,
      priceMinor: plan.unitPrices?.[i] ?? null,
      attributes: null,
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
