import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import { at, quantities, reason, units, when } from '../operations/operations.schemas.js'

export const RestockRequest = z
  .object({ units, reason: reason.optional(), restockedAt: when('of restocking') })
  .strict()
  .meta({ id: 'RestockRequest' })

export const AdjustRequest = z
  .object({
    kind: z.enum(['found', 'lost']).describe('found: back in stock; lost: missing'),
    reason: reason.describe('why (count difference, theft report…)'),
    location: code('location')
      .optional()
      .describe(
        'found: where the units are now (required for units); ' +
          'lost: where they went missing (every unit must be inside it)',
      ),
    units,
    quantities: quantities({ location: at }, 'AdjustQuantity'),
    adjustedAt: when('of the adjustment'),
  })
  .strict()
  .meta({ id: 'AdjustRequest' })

export const ScrapRequest = z
  .object({
    reason: reason.describe('why the goods are destroyed'),
    units,
    quantities: quantities({ location: at }, 'ScrapQuantity'),
    scrappedAt: when('of scrapping'),
  })
  .strict()
  .meta({ id: 'ScrapRequest' })

export type RestockRequest = z.infer<typeof RestockRequest>
export type AdjustRequest = z.infer<typeof AdjustRequest>
export type ScrapRequest = z.infer<typeof ScrapRequest>
