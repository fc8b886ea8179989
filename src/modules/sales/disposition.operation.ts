import { loadClaimFacts } from '../quality/index.js'
import { defineOperation, loadLocation, loadUnits, writePlan } from '../operations/index.js'
import { DISPOSITION_EVENTS, decideDisposition } from './disposition.rules.js'
import { DispositionRequest, DispositionResult } from './sales.schemas.js'

/**
 * Decides what becomes of returned units: restock, open-box, repair, return to vendor or scrap. A vendor
 * disposition may open the supplier claim too: the claim, then the units back to the vendor on it.
 */
export const disposeReturn = defineOperation({
  name: 'disposeReturn',
  url: '/returns/dispositions',
  summary:
    'Dispose of returned units: restock as new or open-box, send to repair, return to vendor (with a claim), scrap',
  tag: 'operations',
  policy: 'stock.operate',
  // Scrapping writes stock off, an open-box price is a price change and a claim is a supplier dispute: a
  // manager's acts, as elsewhere.
  requires: (cmd) =>
    cmd.disposition === 'scrap'
      ? { permission: 'stock.adjust', to: 'scrap returned units' }
      : cmd.disposition === 'open_box'
        ? { permission: 'price.override', to: 'restock returns at an open-box price' }
        : cmd.claim
          ? { permission: 'stock.adjust', to: 'open a supplier claim' }
          : undefined,
  body: DispositionRequest,
  response: DispositionResult,
  events: [...Object.values(DISPOSITION_EVENTS), 'claim_opened'],
  document: 'return',
  load: async (trx, cmd) => {
    const units = await loadUnits(trx, cmd.units)
    return {
      units,
      location: await loadLocation(trx, cmd.location),
      claim: cmd.claim ? await loadClaimFacts(trx, cmd.claim.supplier, units) : undefined,
    }
  },
  decide: decideDisposition,
  write: async (scope, plan): Promise<DispositionResult> => {
    const [first, shipped] = plan.plans
    if (!shipped) return writePlan(scope, first!)
    const claim = await writePlan(scope, first!)
    const document = { type: 'claim' as const, existingId: claim.documentId, number: claim.number }
    const result = await writePlan(scope, {
      ...shipped,
      document,
      payload: { ...shipped.payload, claim: claim.number },
    })
    return { ...result, claim: claim.number }
  },
})
