import { salesOf } from './return.queries.js'
import { decideReturn } from './return.rules.js'
import { ReturnRequest } from './sales.schemas.js'
import { idsOf, loadActiveLocation, loadParty, loadQuantities, loadUnits, stockOperation } from '../operations/index.js'

/** Takes back sold units (and quantities) from a customer into a location, status `returned`, once verified. */
export const returnGoods = stockOperation({
  name: 'returnGoods',
  url: '/returns',
  summary: 'Take back a customer return',
  tag: 'operations',
  policy: 'stock.operate',
  requires: (cmd) =>
    cmd.overrides.length > 0 ? { permission: 'stock.adjust', to: 'override a failed return check' } : undefined,
  body: ReturnRequest,
  events: ['returned'],
  document: 'return',
  load: async (trx, cmd) => {
    const units = await loadUnits(trx, cmd.units)
    return {
      location: await loadActiveLocation(trx, cmd.location),
      customer: cmd.customer ? await loadParty(trx, cmd.customer, 'customer') : undefined,
      units,
      sales: await salesOf(trx, idsOf(units)),
      quantities: await loadQuantities(trx, cmd.quantities, () => cmd.location, 1),
    }
  },
  decide: decideReturn,
})
