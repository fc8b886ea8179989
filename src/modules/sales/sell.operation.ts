import { readTogether } from '../../db/reads-together.js'
import { anyUnclosedDocumentRead } from '../documents/index.js'
import { withStockPrices } from '../pricing/index.js'
import { recallsAffecting } from '../quality/index.js'
import { loadHolds, unitPicksRead } from '../orders/index.js'
import { resolveUnitsAndSkusRead } from '../units/index.js'
import { SellRequest } from './sales.schemas.js'
import { decideSell, namesOwnPrices } from './sell.rules.js'
import {
  containerContents,
  idsOf,
  loadPackedQuantities,
  loadLocation,
  loadQuantities,
  partyRead,
  refsOf,
  stockOperation,
} from '../operations/index.js'

/** Sells units and quantities to a customer; only in-stock units can be sold. */
export const sell = stockOperation({
  name: 'sell',
  url: '/sales',
  summary: 'Sell / ship units and quantities to a customer',
  tag: 'operations',
  policy: 'stock.operate',
  requires: (cmd) =>
    namesOwnPrices(cmd)
      ? { permission: 'price.override', to: 'set a sale price other than the list price' }
      : undefined,
  body: SellRequest,
  events: ['sold'],
  document: 'order',
  load: async (trx, cmd) => {
    // A container sold whole: its contents follow the units named (whose prices are parallel to them).
    const packed = await containerContents(trx, cmd.containers ?? [])
    // The customer and the units (with their SKUs), in one round trip on PostgreSQL.
    const [customer, found] = await readTogether(trx, [
      cmd.customer ? partyRead(trx, cmd.customer, 'customer') : undefined,
      resolveUnitsAndSkusRead(trx, [...refsOf(cmd.units), ...packed.refs]),
    ])
    const { units, skus } = found!
    // Stock sold without a price takes its own (its latest price change), else the list price; the stock
    // packed in the containers is sold with them.
    const loose = await loadQuantities(trx, cmd.quantities, (q) => q.location, -1, cmd.containers)
    const quantities = await withStockPrices(trx, [...loose, ...(await loadPackedQuantities(trx, packed))])
    // Open recalls covering these units: the sale is refused naming the recall. Most ledgers have no open
    // recall at all, which a one-row probe tells before the fuller read; it goes with the units' picks.
    const [anyOpenRecall, picks] = await readTogether(trx, [
      units.length > 0 ? anyUnclosedDocumentRead(trx, 'recall', 'recall_closed') : undefined,
      unitPicksRead(trx, idsOf(units)),
    ])
    return {
      customer,
      units,
      recalls: anyOpenRecall ? await recallsAffecting(trx, idsOf(units)) : new Map<string, string>(),
      listPrices: new Map([...skus].map(([id, sku]) => [id, sku.priceMinor])),
      // A unit's own price (its latest price change) came with its row; the others take their list price.
      unitPrices: new Map(units.flatMap((u) => (u.ownPriceMinor === undefined ? [] : [[u.id, u.ownPriceMinor]]))),
      from: await loadLocation(trx, cmd.from),
      quantities,
      holds: await loadHolds(trx, units, quantities, undefined, picks),
    }
  },
  decide: decideSell,
})
