import { z } from 'zod'
import { code } from '../catalog/catalog.schemas.js'
import {
  documentNumber,
  numberParams,
  reason,
  serial,
  serialFieldOrScan,
  when,
} from '../operations/operations.schemas.js'

/** Most scans in one batch: a scanner sends what it collected since its last answer. */
export const MAX_SCANS_PER_BATCH = 1000

export const CountNumberParams = numberParams('count number')

export const StartCountRequest = z
  .object({
    location: code('location').describe('the site, zone or bin whose whole subtree is counted'),
    skus: z.array(code('SKU')).max(1000).default([]).describe('count only these SKUs; empty counts every SKU'),
    withExpected: z
      .boolean()
      .default(false)
      .describe('show counters what the ledger expects; by default a count is blind, to counters and the API'),
    number: documentNumber('count number', 'CNT-1234'),
    reason: reason.optional().describe('why the count is held (routine, exception, recount)'),
    startedAt: when('the count starts'),
  })
  .strict()
  .meta({ id: 'StartCountRequest' })

export const CountScan = serialFieldOrScan(
  z
    .object({
      key: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .describe("the scanner's idempotency key for this scan: a scan sent again with it counts once"),
      serial: serial
        .optional()
        .describe(
          'a scanned serial (serial-tracked SKUs); or send `scan` instead: the raw barcode (GS1, Digital Link)',
        ),
      sku: code('SKU').optional().describe('SKU code: with a quantity, or to tell apart a serial two SKUs share'),
      gtin: z
        .string()
        .regex(/^\d{14}$/)
        .optional()
        .describe("GTIN-14 the unit's SKU must have (read from a scan; a scan of another SKU's GTIN is refused)"),
      lot: z.string().trim().min(1).max(64).optional().describe('lot code (lot-tracked SKUs)'),
      quantity: z.number().int().positive().max(1e9).optional().describe('quantity counted (lot and quantity SKUs)'),
    })
    .strict()
    .meta({ id: 'CountScan' }),
  true,
)

export const ScanCountRequest = z
  .object({
    location: code('location').describe('where these scans were made (inside the count)'),
    scans: z.array(CountScan).min(1).max(MAX_SCANS_PER_BATCH),
  })
  .strict()
  .meta({ id: 'ScanCountRequest' })

export const RecountRequest = z
  .object({
    location: code('location').describe('the zone or bin to count again: its scans so far are set aside'),
    reason: reason.optional(),
  })
  .strict()
  .meta({ id: 'RecountRequest' })

export const CloseCountRequest = z
  .object({
    reason: reason.optional().describe('recorded on the adjustments the close posts'),
    closedAt: when('of the close'),
  })
  .strict()
  .meta({ id: 'CloseCountRequest' })

const flag = z.enum(['repeat', 'elsewhere', 'status', 'unknown', 'not_counted'])
export const ScanResult = z
  .object({
    number: z.string(),
    eventSeq: z.number().nullable().describe('the counted event, or null when every scan was a replay'),
    accepted: z.number().describe('scans recorded now'),
    replayed: z.number().describe('scans whose key was recorded before: not counted again'),
    flags: z
      .array(z.object({ key: z.string(), serial: z.string().nullable(), flag, message: z.string() }))
      .describe(
        'scans worth a look: a repeat, a unit recorded elsewhere or in another status, an unknown serial, ' +
          'a unit of a SKU the count does not cover (not recorded)',
      ),
  })
  .meta({ id: 'CountScanResult' })

export const CloseCountResult = z
  .object({
    number: z.string(),
    eventSeq: z.number().describe('the count_closed event'),
    missing: z.number().describe('units posted missing'),
    moved: z.number().describe('misplaced units moved to where they were scanned'),
    found: z.number().describe('units that were missing and were scanned: found'),
    quantityLines: z.number().describe('quantity variances posted'),
  })
  .meta({ id: 'CloseCountResult' })

export type StartCountRequest = z.infer<typeof StartCountRequest>
export type CountScan = z.infer<typeof CountScan>
export type ScanCountRequest = z.infer<typeof ScanCountRequest>
export type RecountRequest = z.infer<typeof RecountRequest>
export type CloseCountRequest = z.infer<typeof CloseCountRequest>
export type ScanResult = z.infer<typeof ScanResult>
export type CloseCountResult = z.infer<typeof CloseCountResult>

export const CountSummary = z
  .object({
    number: z.string(),
    location: z.string().describe('code of the counted location (its whole subtree)'),
    skus: z.array(z.string()).describe('SKU codes the count is limited to; empty: every SKU'),
    isBlind: z.boolean().describe('counters (and the API, to them) are not shown what is expected'),
    status: z.enum(['open', 'closed']),
    startedAt: z.string(),
    startedBy: z.string(),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
  })
  .meta({ id: 'CountSummary' })

export const CountTally = z
  .object({
    count: CountSummary,
    scans: z.number().describe('scans recorded (repeats included), not set aside by a recount'),
    perLocation: z.array(z.object({ location: z.string(), scans: z.number(), units: z.number() })),
    latest: z.array(
      z.object({
        key: z.string(),
        kind: z.enum(['unit', 'quantity', 'unknown']),
        serial: z.string().nullable(),
        sku: z.string().nullable(),
        quantity: z.number(),
        location: z.string(),
        scannedBy: z.string(),
        scannedAt: z.string(),
        isRepeat: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'CountTally' })

const money = z.number().describe('at cost, in major units')
export const ReconciledUnitView = z
  .object({
    unitId: z.string(),
    serial: z.string(),
    sku: z.string(),
    skuName: z.string(),
    cost: money.nullable(),
    status: z.string().describe('status now'),
    statusAtScan: z.string().describe('status the ledger had when the unit was scanned'),
    recordedAt: z.string().nullable().describe('location the ledger had for it (at the scan, or now)'),
    seenAt: z.string().nullable().describe('where it was scanned'),
    scannedBy: z.string().nullable(),
    scannedAt: z.string().nullable(),
    changedSinceScan: z.boolean().describe('the unit had an event after its scan; the close leaves it alone'),
  })
  .meta({ id: 'ReconciledUnit' })

const bucket = z.object({ units: z.number(), value: money, items: z.array(ReconciledUnitView) })
export const ReconciliationView = z
  .object({
    count: CountSummary,
    scans: z.number(),
    repeats: z.number().describe('units scanned more than once (each counts once)'),
    changedDuringCount: z.number().describe('units in scope not scanned that had an event during the count'),
    found: z.object({ units: z.number(), value: money }),
    missing: bucket.describe('recorded here, not scanned'),
    misplaced: bucket.describe('scanned here, recorded at another location of ours: the close moves them'),
    otherStatus: bucket.describe('scanned, but sold, scrapped, returned to vendor… in the ledger: a red flag'),
    unknown: z.object({
      units: z.number(),
      items: z.array(
        z.object({ serial: z.string(), seenAt: z.string(), scannedBy: z.string(), scannedAt: z.string() }),
      ),
    }),
    quantities: z.array(
      z.object({
        sku: z.string(),
        skuName: z.string(),
        lot: z.string().nullable(),
        location: z.string(),
        onHand: z
          .number()
          .describe('on hand as the ledger had it at the latest scan of this row (what moved since is left out)'),
        counted: z.number(),
        variance: z.number().describe('counted minus onHand: what the close posts'),
        value: money,
      }),
    ),
    truncated: z.boolean().describe('lists were cut to `limit` items each; the CSV export has them all'),
  })
  .meta({ id: 'Reconciliation' })

export const ReconciliationQuery = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(500) }).strict()
export const ListCountsQuery = z
  .object({
    status: z.enum(['open', 'closed']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()

export type CountSummary = z.infer<typeof CountSummary>
export type ReconciliationView = z.infer<typeof ReconciliationView>
