import { z } from 'zod'
import { code, referenceFields } from '../catalog/catalog.schemas.js'

export const LOCATION_LEVELS = ['site', 'zone', 'bin'] as const
export const LOCATION_KINDS = ['warehouse', 'store', 'transit'] as const

export const CreateLocationRequest = z
  .object({
    code: code('location'),
    name: z.string().trim().min(1).max(200).describe('display name'),
    level: z.enum(LOCATION_LEVELS).default('site').describe('site > zone > bin'),
    kind: z
      .enum(LOCATION_KINDS)
      .optional()
      .describe('warehouse, store or transit; zones and bins inherit their site kind'),
    parent: code('parent location')
      .optional()
      .describe('code of the parent location (a site for a zone, a zone for a bin)'),
  })
  .strict()
  .meta({ id: 'CreateLocationRequest' })
export type CreateLocationRequest = z.input<typeof CreateLocationRequest>

export const LocationResponse = z
  .object({
    ...referenceFields,
    level: z.enum(LOCATION_LEVELS),
    kind: z.enum(LOCATION_KINDS),
    parentId: z.string().nullable(),
    path: z.string().describe('codes from the site down, e.g. /STORE-A/FLOOR/BIN-1/'),
  })
  .meta({ id: 'Location' })
export type Location = z.infer<typeof LocationResponse>
