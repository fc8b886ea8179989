import { z } from 'zod'
import { code, money } from '../catalog/catalog.schemas.js'
import { documentNumber, serialFieldOrScan, serialOrScanRef } from '../operations/operations.schemas.js'
import { QuarantineResult } from '../quality/quality.schemas.js'

/** Most serials one JSON request may list; larger receipts use a range, CSV import or several requests. */
export const MAX_SERIALS_PER_REQUEST = 200_000

const UnitInput = serialFieldOrScan(
  z
    .object({
      serial: z
        .string()
        .max(200)
        .describe(
          'serial as printed on the unit; trimmed and case-normalised per the SKU; or send `scan`: the raw barcode',
        ),
      identifiers: z
        .record(z.string(), z.string().max(200))
        .optional()
        .describe('extra identifiers declared by the SKU, e.g. {"imei": "…"}'),
      gtin: z
        .string()
        .regex(/^\d{14}$/)
        .optional()
        .describe("GTIN-14 the line's SKU must have (read from a scan)"),
    })
    .strict()
    .meta({ id: 'ReceivedUnitInput' }),
  true,
)

export const ReceiptLineRequest = z
  .object({
    sku: code('SKU'),
    lot: z.string().trim().min(1).max(64).optional().describe('lot (batch) code; created on first use'),
    lotExpiresOn: z.iso.date().optional().describe('expiry date of a new lot'),
    unitCost: money('cost per unit').optional().describe("cost per unit; defaults to the SKU's cost"),
    serials: z
      .array(serialOrScanRef(z.string().max(200)))
      .max(MAX_SERIALS_PER_REQUEST)
      .optional()
      .describe('serials of a serial-tracked SKU (each a serial or `{"scan": "…"}`, a raw barcode)'),
    units: z.array(UnitInput).max(MAX_SERIALS_PER_REQUEST).optional().describe('serials with extra identifiers'),
    range: z.string().max(200).optional().describe('a serial range, e.g. PHX-2026-{00001..05000}'),
    csv: z
      .string()
      .max(50_000_000)
      .optional()
      .describe('CSV text with a header row: a serial column and one column per extra identifier'),
    quantity: z.number().int().positive().max(1e9).optional().describe('quantity of a lot- or quantity-tracked SKU'),
  })
  .strict()
  .meta({ id: 'ReceiptLine' })
export type ReceiptLineRequest = z.infer<typeof ReceiptLineRequest>

export const ReceiveRequest = z
  .object({
    supplier: code('supplier').describe('code of the supplier party'),
    location: code('location').describe('code of the receiving location'),
    number: documentNumber('receipt number', 'RCV-1234'),
    supplierRef: z.string().trim().max(120).optional().describe("the supplier's delivery note reference"),
    po: z.string().trim().max(120).optional().describe('purchase order number'),
    asn: z.string().trim().max(120).optional().describe('advance shipping notice number'),
    receivedAt: z.iso.datetime({ offset: true }).optional().describe('business time of the receipt; defaults to now'),
    lines: z.array(ReceiptLineRequest).min(1).max(1000).describe('what arrived'),
    expected: z
      .array(
        z.object({ sku: code('SKU'), serials: z.array(z.string().max(200)).max(MAX_SERIALS_PER_REQUEST) }).strict(),
      )
      .max(1000)
      .optional()
      .describe('the manifest: serials the supplier says it shipped; the response reports missing and unexpected ones'),
  })
  .strict()
  .meta({ id: 'ReceiveRequest' })
export type ReceiveRequest = z.infer<typeof ReceiveRequest>

const SerialRef = z.object({ sku: z.string(), serial: z.string() })

export const ReceiptResult = z
  .object({
    receiptId: z.string(),
    number: z.string(),
    eventId: z.string(),
    eventSeq: z.number(),
    unitCount: z.number().describe('serialised units received'),
    quantity: z.number().describe('total quantity of lot/quantity SKUs received'),
    manifest: z
      .object({
        expectedCount: z.number(),
        missingCount: z.number(),
        unexpectedCount: z.number(),
        missing: z.array(SerialRef).describe('expected but not received (first 1,000)'),
        unexpected: z.array(SerialRef).describe('received but not expected (first 1,000)'),
      })
      .optional(),
    quarantined: z
      .array(QuarantineResult)
      .optional()
      .describe('units an open recall covers, quarantined at receiving: which recall, how many'),
  })
  .meta({ id: 'ReceiptResult' })
export type ReceiptResult = z.infer<typeof ReceiptResult>
