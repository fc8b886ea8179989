import { findLatestStockEvent } from '../stock/index.js'
import { decideMove } from './move.rules.js'
import { MoveRequest } from './movements.schemas.js'
import {
  loadActiveLocation,
  loadLocation,
  loadQuantities,
  loadUnitsAndPacked,
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
  load: async (trx, cmd) => {
    const to = await loadActiveLocation(trx, cmd.to)
    const { units, packed } = await loadUnitsAndPacked(trx, cmd.units, cmd.containers)
    // The stock packed in the containers moves with them, next to the loose lines named.
    const loose = await loadQuantities(trx, cmd.quantities, (q) => q.from, -1, cmd.containers)
    const quantities = [...loose, ...packed]
    return {
      to,
      units,
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
