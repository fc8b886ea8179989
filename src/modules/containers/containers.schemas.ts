import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import {
  MAX_UNITS_PER_OPERATION,
  quantities,
  quantity,
  UnitRefSchema,
  units,
  when,
} from '../operations/operations.schemas.js'

export const containerCode = code('container').describe('the container: an SSCC (18 digits) or our own code')

export const PackRequest = z
  .object({
    container: containerCode,
    units,
    quantities: quantities({}, 'PackQuantity').describe('lot and quantity stock to pack (loose stock where it is)'),
    at: code('location')
      .optional()
      .describe('where the quantities are packed: defaults to where the container (or the units packed) is'),
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
      .describe('units to take out; when omitted with quantities (and not fromParent) the container is emptied'),
    quantities: z
      .array(quantity({}, 'UnpackQuantity'))
      .max(1000)
      .optional()
      .describe('packed lot and quantity stock to take out; when omitted with units, none'),
    fromParent: z.boolean().optional().describe('take the container itself out of the one it is nested in'),
    unpackedAt: when('of unpacking'),
  })
  .strict()
  .meta({ id: 'UnpackRequest' })

const ContainedUnit = z
  .object({ serial: z.string(), sku: z.string(), status: z.string() })
  .meta({ id: 'ContainedUnit' })

const ContainedQuantity = z
  .object({ sku: z.string(), lot: z.string().nullable(), quantity: z.number() })
  .meta({ id: 'ContainedQuantity' })

export interface ContainerView {
  code: string
  kind: string
  parent: string | null
  location: string | null
  units: z.infer<typeof ContainedUnit>[]
  quantities: z.infer<typeof ContainedQuantity>[]
  containers: ContainerView[]
}

export const ContainerView: z.ZodType<ContainerView> = z
  .object({
    code: z.string(),
    kind: z.string().describe('sscc or own'),
    parent: z.string().nullable().describe('the container it is nested in'),
    location: z.string().nullable().describe('code of the location its units are at'),
    units: z.array(ContainedUnit).describe('units packed directly in it'),
    quantities: z.array(ContainedQuantity).describe('lot and quantity stock packed directly in it'),
    get containers() {
      return z.array(ContainerView).describe('containers nested in it, with their contents')
    },
  })
  .meta({ id: 'ContainerView' })

export type PackRequest = z.infer<typeof PackRequest>
export type UnpackRequest = z.infer<typeof UnpackRequest>
