import { findLatestStockEvent } from '../stock/index.js'
import { decideMove } from './move.rules.js'
import { MoveRequest } from './movements.schemas.js'
import {
  loadActiveLocation,
  loadLocation,
  loadQuantities,
  loadUnits,
  OPERATION_BODY_LIMIT,
  stockOperation,
} from '../operations/index.js'

/** Moves units (and quantity stock) to another location in one step, keeping their status. */
export const move = stockOperation({
  name: 'move',
  url: '/moves',
  summary: 'Move units or quantities to another location',
  tag: 'operations',
  policy: 'stock.operate',
  body: MoveRequest,
  events: ['moved'],
  document: 'move',
  bodyLimit: OPERATION_BODY_LIMIT,
  load: async (trx, cmd) => {
    const to = await loadActiveLocation(trx, cmd.to)
    const quantities = await loadQuantities(trx, cmd.quantities, (q) => q.from, -1)
    return {
      to,
      units: await loadUnits(trx, cmd.units, cmd.containers),
      from: await loadLocation(trx, cmd.from),
      quantities,
      // The destination rows' latest events: a move may not be dated before them either.
      arriving: await Promise.all(
        quantities.map((q) =>
          findLatestStockEvent(trx, { skuId: q.sku.id, locationId: to.id, lotId: q.lotId ?? null }),
        ),
      ),
    }
  },
  decide: decideMove,
})
