import { z } from 'zod'
import { code, referenceFields } from '../catalog/catalog.schemas.js'

export const LOCATION_LEVELS = ['site', 'zone', 'bin'] as const
export const LOCATION_KINDS = ['warehouse', 'store', 'transit'] as const

/** The value a bin or shelf label carries (scanned to set a location field). */
const barcode = z
  .string()
  .trim()
  .min(1, 'barcode is empty')
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'barcode must be printable ASCII without spaces')
  .describe('value printed on the location label (bin, shelf), unique; scanning it selects the location')

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
    barcode: barcode.optional(),
  })
  .strict()
  .meta({ id: 'CreateLocationRequest' })
export type CreateLocationRequest = z.input<typeof CreateLocationRequest>

export const UpdateLocationRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional().describe('display name'),
    barcode: barcode.nullable().optional().describe('the label value; null removes it'),
    archived: z
      .boolean()
      .optional()
      .describe('true archives the location (refused in new operations), false restores it'),
  })
  .strict()
  .meta({ id: 'UpdateLocationRequest' })
export type UpdateLocationRequest = z.input<typeof UpdateLocationRequest>

export const LocationResponse = z
  .object({
    ...referenceFields,
    level: z.enum(LOCATION_LEVELS),
    kind: z.enum(LOCATION_KINDS),
    parentId: z.string().nullable(),
    path: z.string().describe('codes from the site down, e.g. /STORE-A/FLOOR/BIN-1/'),
    barcode: z.string().nullable().describe('value printed on the location label, when it has one'),
    archivedAt: z.string().nullable().optional().describe('when it was archived (refused in new operations)'),
  })
  .meta({ id: 'Location' })
export type Location = z.infer<typeof LocationResponse>
