import { RestockRequest } from './adjustments.schemas.js'
import { decideRestock } from './restock.rules.js'
import { loadUnits, stockOperation } from '../operations/index.js'

/** Puts returned, quarantined or repaired units back into sellable stock where they are. */
export const restock = stockOperation({
  name: 'restock',
  url: '/restocks',
  summary: 'Put returned or quarantined units back in stock',
  tag: 'operations',
  policy: 'stock.operate',
  body: RestockRequest,
  events: ['restocked'],
  document: 'adjustment',
  load: (trx, cmd) => loadUnits(trx, cmd.units),
  decide: decideRestock,
})
