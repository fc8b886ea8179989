import { salesOf } from './return.queries.js'
import { decideReturn } from './return.rules.js'
import { ReturnRequest } from './sales.schemas.js'
import {
  loadActiveLocation,
  loadParty,
  loadQuantities,
  loadUnits,
  OPERATION_BODY_LIMIT,
  stockOperation,
} from '../operations/index.js'

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
  bodyLimit: OPERATION_BODY_LIMIT,
  load: async (trx, cmd) => {
    const units = await loadUnits(trx, cmd.units)
    return {
      location: await loadActiveLocation(trx, cmd.location),
      customer: cmd.customer ? await loadParty(trx, cmd.customer, 'customer') : undefined,
      units,
      sales: await salesOf(
        trx,
        units.map((u) => u.id),
      ),
      quantities: await loadQuantities(trx, cmd.quantities, () => cmd.location, 1),
    }
  },
  decide: decideReturn,
})
