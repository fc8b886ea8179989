import { stringify } from 'csv-stringify/sync'
import type { RecommendationsResponse } from './pricing.schemas.js'

export const RECOMMENDATION_COLUMNS = [
  'sku',
  'skuGroup',
  'stage',
  'action',
  'currentPrice',
  'suggestedPrice',
  'units',
  'valueAtStake',
  'reason',
] as const

/** Recommendation lines as CSV text: what the API's CSV and `report markdowns` write. */
export const recommendationsCsv = (lines: RecommendationsResponse['lines']): string =>
  stringify(lines, { header: true, columns: [...RECOMMENDATION_COLUMNS] })
