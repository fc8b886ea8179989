import { loadLocation, loadUnits, OPERATION_BODY_LIMIT, stockOperation } from '../operations/index.js'
import { DISPOSITION_EVENTS, decideDisposition } from './disposition.rules.js'
import { DispositionRequest } from './sales.schemas.js'

/** Decides what becomes of returned units: restock, open-box, repair, return to vendor or scrap. */
export const disposeReturn = stockOperation({
  name: 'disposeReturn',
  url: '/returns/dispositions',
  summary: 'Dispose of returned units: restock as new or open-box, send to repair, return to vendor, scrap',
  tag: 'operations',
  policy: 'stock.operate',
  // Scrapping writes stock off and an open-box price is a price change: a manager's acts, as elsewhere.
  requires: (cmd) =>
    cmd.disposition === 'scrap'
      ? { permission: 'stock.adjust', to: 'scrap returned units' }
      : cmd.disposition === 'open_box'
        ? { permission: 'price.override', to: 'restock returns at an open-box price' }
        : undefined,
  body: DispositionRequest,
  events: Object.values(DISPOSITION_EVENTS),
  document: 'return',
  bodyLimit: OPERATION_BODY_LIMIT,
  load: async (trx, cmd) => ({
    units: await loadUnits(trx, cmd.units),
    location: await loadLocation(trx, cmd.location),
  }),
  decide: decideDisposition,
})
