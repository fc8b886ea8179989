import { z } from 'zod'
import { AppError } from '../../core/errors.js'
import { findDocumentByNumber } from '../documents/index.js'
import { getLocationByCode, getLocationById } from '../locations/index.js'
import { resolveUnits } from '../units/index.js'
import { containersInTransitOn, outstandingQuantities, packedArrivals, unitsInTransitOn } from './movements.queries.js'
import { ReceiveTransferRequest } from './movements.schemas.js'
import { decideReceiveTransfer } from './transfer-receive.rules.js'
import { containerContents, loadUnits, stockOperation, writePlan } from '../operations/index.js'
import { holdArrivals } from '../quality/index.js'

/**
 * Receives a shipped transfer at its destination: everything still in transit, or the units named.
 * Arrivals an open recall covers are quarantined on arrival (one more event in the same transaction).
 */
const declared = stockOperation({
  name: 'receiveTransfer',
  url: '/transfers/:number/receipt',
  summary: 'Receive a transfer at its destination',
  tag: 'operations',
  policy: 'stock.operate',
  params: z.object({ number: z.string().min(1).max(64) }),
  body: ReceiveTransferRequest,
  events: ['transfer_received'],
  document: 'transfer',
  load: async (trx, cmd) => {
    const doc = await findDocumentByNumber(trx, 'transfer', cmd.number)
    if (!doc) throw new AppError('document.not_found', `no transfer ${cmd.number}`)
    const destination = await getLocationById(trx, doc.to_location_id!)
    const named = cmd.units !== undefined || (cmd.containers?.length ?? 0) > 0
    const contents = named ? await containerContents(trx, cmd.containers ?? []) : undefined
    return {
      transfer: { id: doc.id, number: doc.number },
      origin: doc.location_id ? await getLocationById(trx, doc.location_id) : null,
      destination,
      target: cmd.location ? await getLocationByCode(trx, cmd.location) : destination,
      units: named
        ? await loadUnits(trx, cmd.units ?? [], cmd.containers)
        : await resolveUnits(trx, await unitsInTransitOn(trx, doc.id)),
      // Quantities in transit were last touched by the shipping (the document's business time).
      outstanding: named
        ? []
        : (await outstandingQuantities(trx, doc.id)).map((o) => ({
            ...o,
            latestEvent: { type: 'transfer_shipped' as const, occurredAt: doc.occurred_at },
          })),
      // The stock packed in the containers named arrives with them; everything arriving takes its containers.
      packed: contents ? await packedArrivals(trx, contents.packed) : [],
      containers: named ? (cmd.containers ?? []) : await containersInTransitOn(trx, doc.id),
    }
  },
  decide: decideReceiveTransfer,
})

export const receiveTransfer: typeof declared = {
  ...declared,
  write: async (scope, plan) => {
    const result = await writePlan(scope, plan)
    await holdArrivals(scope, 'arrival', plan.occurredAt, { unitIds: plan.units.map((u) => u.unit.id) })
    return result
  },
}
