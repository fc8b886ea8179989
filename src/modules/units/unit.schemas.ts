import { z } from 'zod'
import { UNIT_STATUSES } from './unit-status.rules.js'

/** The orders a unit list can be in. */
export const UNIT_SORTS = ['oldest', 'newest', 'serial'] as const

const Ref = z.object({ code: z.string(), name: z.string() }).nullable()

export const UnitView = z
  .object({
    id: z.string(),
    serial: z.string(),
    sku: z.object({
      code: z.string(),
      name: z.string(),
      tracking: z.string(),
      gtin: z.string().nullable().describe('GTIN-14 of the SKU, when it has one'),
    }),
    status: z.enum(UNIT_STATUSES),
    location: z.object({ code: z.string(), name: z.string(), path: z.string() }).nullable(),
    lot: z.string().nullable(),
    receipt: z.object({ id: z.string(), number: z.string() }).nullable(),
    supplier: Ref,
    cost: z.number().nullable(),
    receivedAt: z.string(),
    customer: Ref,
    orderRef: z.string().nullable(),
    salePrice: z.number().nullable(),
    soldAt: z.string().nullable(),
    warrantyEndsOn: z
      .string()
      .nullable()
      .describe(
        "last day of the unit's effective warranty (as GET /warranty: SKU policy, lot, unit or open-box term, " +
          'replacement, extension; on a unit list the SKU term only); null until sold, when void or none',
      ),
    returnWindowEndsOn: z
      .string()
      .nullable()
      .describe('last day a customer return is accepted (sale date plus the SKU return window); null until sold'),
    transfer: z.string().nullable().describe('number of the transfer the unit is travelling on'),
    container: z.string().nullable().describe('code (SSCC or ours) of the container the unit is packed in'),
    parentUnitId: z.string().nullable(),
    identifiers: z.record(z.string(), z.string()),
    version: z.number(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Unit' })
export type UnitView = z.infer<typeof UnitView>

export const TimelineEntry = z
  .object({
    seq: z.number(),
    eventId: z.string(),
    type: z.string(),
    occurredAt: z.string().describe('business time'),
    recordedAt: z.string().describe('when the ledger recorded it'),
    actor: z.string(),
    location: z.string().nullable().describe('code of the location the unit went to'),
    fromLocation: z.string().nullable(),
    transition: z
      .string()
      .nullable()
      .describe(
        "this unit's own transition on an event whose lines each name theirs (a count's close: lost, moved, found)",
      ),
    reason: z.string().nullable(),
    document: z.object({ type: z.string(), number: z.string() }).nullable(),
    party: Ref,
    orderRef: z.string().nullable(),
    price: z.number().nullable(),
    hash: z.string(),
  })
  .meta({ id: 'TimelineEntry' })
export type TimelineEntry = z.infer<typeof TimelineEntry>

export const Provenance = z
  .object({
    unitId: z.string(),
    serial: z.string(),
    sku: z.string(),
    receipt: z.object({
      id: z.string(),
      number: z.string(),
      supplierRef: z.string().nullable(),
      po: z.string().nullable(),
      asn: z.string().nullable(),
      receivedAt: z.string(),
      location: z.string().nullable(),
      eventId: z.string(),
      eventHash: z.string(),
      unitsInReceipt: z.number(),
    }),
    supplier: Ref,
    lot: z.object({ code: z.string(), expiresOn: z.string().nullable() }).nullable(),
    cost: z.number().nullable(),
  })
  .meta({ id: 'Provenance' })
export type Provenance = z.infer<typeof Provenance>

export const ListUnitsQuery = z
  .object({
    sku: z.string().optional().describe('SKU code'),
    status: z.enum(UNIT_STATUSES).optional(),
    location: z.string().optional().describe('location code; includes everything beneath it'),
    lot: z.string().optional().describe('lot code'),
    supplier: z.string().optional().describe('supplier code'),
    receipt: z.string().optional().describe('receipt number'),
    receivedFrom: z.iso.datetime({ offset: true }).optional(),
    receivedTo: z.iso.datetime({ offset: true }).optional(),
    soldFrom: z.iso.datetime({ offset: true }).optional(),
    soldTo: z.iso.datetime({ offset: true }).optional(),
    sort: z
      .enum(UNIT_SORTS)
      .default('oldest')
      .describe('newest or oldest received first (by when they were recorded), or by serial'),
    totals: z.stringbool().optional().describe('true: also count the units the filters match and sum their cost'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict()

/** A unit list's filters as the queries take them (sort and totals may be left out). */
export type ListUnitsQuery = Omit<z.output<typeof ListUnitsQuery>, 'sort' | 'totals'> & {
  sort?: (typeof UNIT_SORTS)[number]
  totals?: boolean
}

export const UnitPage = z
  .object({
    items: z.array(UnitView),
    nextCursor: z.string().nullable(),
    totals: z
      .object({ count: z.number(), cost: z.number().describe('sum of the units cost') })
      .optional()
      .describe('with totals=true: every unit the filters match, not only this page'),
  })
  .meta({ id: 'UnitPage' })
export type UnitPage = z.infer<typeof UnitPage>
