import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import { MAX_UNITS_PER_OPERATION, UnitRefSchema, units, when } from '../operations/operations.schemas.js'

export const containerCode = code('container').describe('the container: an SSCC (18 digits) or our own code')

export const PackRequest = z
  .object({
    container: containerCode,
    units,
    parent: containerCode.optional().describe('a container to nest this one in (created if new)'),
    packedAt: when('of packing'),
  })
  .strict()
  .meta({ id: 'PackRequest' })

export const UnpackRequest = z
  .object({
    container: containerCode,
    units: z
      .array(UnitRefSchema)
      .max(MAX_UNITS_PER_OPERATION)
      .optional()
      .describe('units to take out; when omitted (and not fromParent) the container is emptied'),
    fromParent: z.boolean().optional().describe('take the container itself out of the one it is nested in'),
    unpackedAt: when('of unpacking'),
  })
  .strict()
  .meta({ id: 'UnpackRequest' })

const ContainedUnit = z
  .object({ serial: z.string(), sku: z.string(), status: z.string() })
  .meta({ id: 'ContainedUnit' })

export interface ContainerView {
  code: string
  kind: string
  parent: string | null
  location: string | null
  units: z.infer<typeof ContainedUnit>[]
  containers: ContainerView[]
}

export const ContainerView: z.ZodType<ContainerView> = z
  .object({
    code: z.string(),
    kind: z.string().describe('sscc or own'),
    parent: z.string().nullable().describe('the container it is nested in'),
    location: z.string().nullable().describe('code of the location its units are at'),
    units: z.array(ContainedUnit).describe('units packed directly in it'),
    get containers() {
      return z.array(ContainerView).describe('containers nested in it, with their contents')
    },
  })
  .meta({ id: 'ContainerView' })

export type PackRequest = z.infer<typeof PackRequest>
export type UnpackRequest = z.infer<typeof UnpackRequest>
