import { loadUnits, stockOperation } from '../operations/index.js'
import { decideChangePrice } from './change-price.rules.js'
import { loadPriceChange } from './pricing.queries.js'
import { ChangePriceRequest } from './pricing.schemas.js'

/** Sets the own price of units (or of lot / quantity stock at a location); their status stays. */
export const changePrice = stockOperation({
  name: 'changePrice',
  url: '/price-changes',
  summary: 'Change the price of units or stock (markdowns below cost or beyond the group cap are refused)',
  tag: 'pricing',
  policy: 'price.override',
  body: ChangePriceRequest,
  events: ['price_changed'],
  document: 'price_change',
  load: async (trx, cmd) => loadPriceChange(trx, cmd, await loadUnits(trx, cmd.units)),
  decide: decideChangePrice,
})
