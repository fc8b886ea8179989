import { stageSettings, weeklySales } from '../lifecycle/index.js'
import { stockOperation } from '../operations/index.js'
import { decideApplyMarkdowns } from './change-price.rules.js'
import { markdownCandidates, onHandBySku } from './pricing.queries.js'
import { ApplyMarkdownsRequest } from './pricing.schemas.js'

/** Applies the markdown recommendations (all, or of some SKUs or units): price-change events only. */
export const applyMarkdowns = stockOperation({
  name: 'applyMarkdowns',
  url: '/markdowns/apply',
  summary: 'Apply the current markdown (or price-rise) recommendations to all or selected units',
  tag: 'pricing',
  policy: 'price.override',
  body: ApplyMarkdownsRequest,
  events: ['price_changed'],
  document: 'price_change',
  load: async (trx, cmd) => {
    const candidates = await markdownCandidates(trx, cmd)
    const ids = [...new Set(candidates.map((c) => c.unit.skuId))]
    const [sales, onHand, settings] = [
      await weeklySales(trx, ids),
      await onHandBySku(trx, ids),
      await stageSettings(trx, ids),
    ]
    return {
      candidates,
      skus: new Map(
        ids.map((id) => [id, { sales: sales.get(id) ?? [], onHand: onHand.get(id) ?? 0, settings: settings.get(id) }]),
      ),
    }
  },
  decide: decideApplyMarkdowns,
})
