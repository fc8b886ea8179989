import { ShipTransferRequest } from './movements.schemas.js'
import { decideShipTransfer } from './transfer-ship.rules.js'
import { loadActiveLocation, loadQuantities, loadUnitsAndPacked, stockOperation } from '../operations/index.js'

/** Ships a transfer to another site: the goods are in transit until it receives them. */
export const shipTransfer = stockOperation({
  name: 'shipTransfer',
  url: '/transfers',
  summary: 'Ship a transfer (goods go in transit)',
  tag: 'operations',
  policy: 'stock.operate',
  body: ShipTransferRequest,
  events: ['transfer_shipped'],
  document: 'transfer',
  load: async (trx, cmd) => {
    const { units, packed } = await loadUnitsAndPacked(trx, cmd.units, cmd.containers)
    return {
      from: await loadActiveLocation(trx, cmd.from),
      to: await loadActiveLocation(trx, cmd.to),
      units,
      // The stock packed in the containers travels with them.
      quantities: [...(await loadQuantities(trx, cmd.quantities, () => cmd.from, -1, cmd.containers)), ...packed],
    }
  },
  decide: decideShipTransfer,
})
