import { decideAdjust } from './adjust.rules.js'
import { AdjustRequest } from './adjustments.schemas.js'
import { loadLocation, loadQuantities, loadUnits, stockOperation } from '../operations/index.js'

/** Records stock found (back in stock at a location) or lost (missing), always with a reason. */
export const adjust = stockOperation({
  name: 'adjust',
  url: '/adjustments',
  summary: 'Record stock found or lost, with a reason',
  tag: 'operations',
  policy: 'stock.adjust',
  body: AdjustRequest,
  events: ['found', 'lost'],
  document: 'adjustment',
  load: async (trx, cmd) => ({
    location: await loadLocation(trx, cmd.location),
    units: await loadUnits(trx, cmd.units),
    quantities: await loadQuantities(trx, cmd.quantities, (q) => q.location, cmd.kind === 'found' ? 1 : -1),
  }),
  decide: decideAdjust,
})
