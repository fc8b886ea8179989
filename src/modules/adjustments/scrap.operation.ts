import { ScrapRequest } from './adjustments.schemas.js'
import { decideScrap } from './scrap.rules.js'
import { loadQuantities, loadUnits, stockOperation } from '../operations/index.js'

/** Destroys units and quantities (damaged beyond repair); scrapped units never come back. */
export const scrap = stockOperation({
  name: 'scrap',
  url: '/scraps',
  summary: 'Scrap units or quantities',
  tag: 'operations',
  policy: 'stock.adjust',
  body: ScrapRequest,
  events: ['scrapped'],
  document: 'scrap',
  load: async (trx, cmd) => ({
    units: await loadUnits(trx, cmd.units),
    quantities: await loadQuantities(trx, cmd.quantities, (q) => q.location, -1),
  }),
  decide: decideScrap,
})
