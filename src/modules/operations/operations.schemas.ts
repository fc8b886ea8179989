import { z } from 'zod'
import { code, money } from '../catalog/catalog.schemas.js'
import { parseScan, unitOfScan } from '../gs1/scan.rules.js'

/*
 * Schema pieces every stock operation's request is built from, and the answer they share. Each
 * operation's own request schema lives in its capability's `*.schemas.ts`.
 */

export const MAX_UNITS_PER_OPERATION = 200_000
/** Largest body of a stock operation (200,000 serials at most). */
export const OPERATION_BODY_LIMIT = 16 * 1024 * 1024
/** Largest receipt body: 100,000+ serials, or a CSV of them, in one request. */
export const RECEIPT_BODY_LIMIT = 64 * 1024 * 1024

export const serial = z.string().min(1).max(200)
const scanField = z
  .string()
  .min(1)
  .max(2000)
  .describe('what a scanner sent: a serial, GS1 element string (FNC1 as GS), Digital Link or EPC URN')

/** The unit a scan names, `{serial, gtin}`, or undefined after adding the reason as an issue on `scan`. */
function unitOfScanField(scan: string, ctx: { addIssue: (issue: any) => void }) {
  const unit = unitOfScan(scan)
  if (!('message' in unit)) return unit
  ctx.addIssue({ code: 'custom', message: unit.message, path: ['scan'], input: scan })
  return undefined
}

/**
 * Reads `{"scan": "]d2…", …}` with the one GS1 parser into `{serial, gtin, …}` before the unit reference is
 * validated, so every operation that takes units takes raw scans, and a bad scan is refused as
 * `units[i].scan` with the reason (not as a bare "invalid input" of the union).
 */
export const readScan = (value: unknown, ctx: { addIssue: (issue: any) => void }): unknown => {
  if (typeof value !== 'object' || value === null || !('scan' in value)) return value
  const { scan, ...rest } = value as { scan: unknown }
  if (typeof scan !== 'string' || 'serial' in rest) return value // the union reports the shape error
  const unit = unitOfScanField(scan, ctx)
  return unit ? { ...rest, ...unit } : z.NEVER
}

/** The unit a `{scan}` names, `{serial, gtin}`, or `z.NEVER` after adding the reason as an issue on `scan`. */
function unitOfScanValue(scan: unknown, ctx: { addIssue: (issue: any) => void }) {
  const read = scanField.safeParse(scan)
  if (!read.success) {
    ctx.addIssue({ code: 'custom', message: 'a scan is a string of 1 to 2000 characters', path: ['scan'], input: scan })
    return z.NEVER
  }
  return unitOfScanField(read.data, ctx) ?? z.NEVER
}

const isScanObject = (value: unknown): value is { scan: unknown } =>
  typeof value === 'object' && value !== null && 'scan' in value && !('serial' in value)

/**
 * A serial in a list of serials (a till line's or a receipt line's `serials`), or `{"scan": "…"}` read with
 * the one GS1 parser into `{serial, gtin}` (the SKU must carry that GTIN, as for `units`). A bad scan is
 * refused as `….serials[i].scan` with the reason.
 */
export const serialOrScanRef = <S extends z.ZodString>(serialSchema: S) =>
  z.preprocess(
    (value, ctx) => {
      if (!isScanObject(value) || Object.keys(value).length !== 1) return value
      return unitOfScanValue(value.scan, ctx)
    },
    z.union([
      serialSchema,
      z
        .object({
          serial: serialSchema,
          gtin: z
            .string()
            .regex(/^\d{14}$/)
            .optional(),
        })
        .strict()
        .describe('a scan as read: `{"scan": "…"}` in a request'),
    ]),
  )
export const SerialOrScanRef = serialOrScanRef(serial)
/** A serial of a list as an operation looks units up: `{serial}`, with the scanned GTIN if any. */
export const refOfSerial = (s: string | { serial: string; gtin?: string }) =>
  typeof s === 'string' ? { serial: s } : s

/**
 * An object with a `serial` field (a count's scan, a received unit) that may name it by `scan` instead:
 * the raw scan is read with the one GS1 parser into `serial` (and `gtin`, where the object takes one);
 * a bad scan is refused as `….scan`.
 */
export const serialFieldOrScan = <S extends z.ZodType>(schema: S, keepGtin = false) =>
  z.preprocess((value, ctx) => {
    if (!isScanObject(value)) return value
    const { scan, ...rest } = value
    const unit = unitOfScanValue(scan, ctx)
    if (unit === z.NEVER) return z.NEVER
    return keepGtin || unit.gtin === undefined ? { ...rest, ...unit } : { ...rest, serial: unit.serial }
  }, schema)

/** A unit reference object `{serial, sku}` with the fields an operation adds, or the same named by `{scan}`. */
export const unitRefObject = <E extends z.ZodRawShape>(extra: E) => {
  const sku = code('SKU').optional().describe('SKU code, needed only when the serial exists for two SKUs')
  const byScan = z
    .object({ scan: scanField, sku, ...extra })
    .strict()
    .describe('a raw scan, read into {serial, gtin}')
  type ByScan = z.output<typeof byScan>
  return z.union([
    z
      .object({
        serial,
        sku,
        gtin: z
          .string()
          .regex(/^\d{14}$/)
          .optional()
          .describe('GTIN-14 the SKU must have (read from a scan)'),
        ...extra,
      })
      .strict(),
    // Reached only by a scan readScan left alone; it reads it the same way (and gives the output type).
    byScan.transform((v, ctx): Omit<ByScan, 'scan'> & { serial: string; gtin?: string } => {
      const { scan, ...rest } = v as ByScan & { scan: string }
      const unit = unitOfScanField(scan, ctx)
      return unit ? { ...(rest as Omit<ByScan, 'scan'>), ...unit } : z.NEVER
    }),
  ])
}

export const UnitRefSchema = z
  .preprocess(readScan, z.union([serial, unitRefObject({})]))
  .describe('a serial, {serial, sku}, or {scan} (a raw barcode scan)')
export const units = z.array(UnitRefSchema).max(MAX_UNITS_PER_OPERATION).default([]).describe('serial-tracked units')
/**
 * A container as a request names it: its code (an SSCC or our own), or a scan of its label (`(00)…`, an
 * element string, Digital Link or `urn:epc:id:sscc:…`), read into its SSCC.
 */
export const ContainerRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .transform((value, ctx) => {
    const scan = parseScan(value)
    if (scan.kind === 'gs1' && scan.sscc !== undefined) return scan.sscc
    if (scan.kind === 'plain' && /^[\x21-\x7e]{1,64}$/.test(scan.code)) return scan.code
    ctx.addIssue({ code: 'custom', message: `${value} names no container (an SSCC or a container code)`, input: value })
    return z.NEVER
  })
  .describe('a container code or a scan of its SSCC label')
export const containers = z
  .array(ContainerRefSchema)
  .max(1000)
  .default([])
  .describe('containers whose whole contents (nested containers included) the operation takes, in one event')
export const price = money('price')
export const when = (what: string) =>
  z.iso.datetime({ offset: true }).optional().describe(`business time ${what}; defaults to now`)
export const reason = z.string().trim().min(1).max(500)
/** The URL parameter naming a document by its number (`/recalls/:number`); `what` describes it. */
export const numberParams = (what: string) => z.object({ number: z.string().trim().min(1).max(64).describe(what) })
/** The optional document number of a request; `examples` says what a generated one looks like. */
export const documentNumber = (what: string, examples: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe(
      `${what}; when omitted, generated from the next event number ` +
        `(${examples}; with -2 if a client already used that number)`,
    )
export const number = documentNumber('document number', 'ORD-1234 for a sale, TRF-1234 for a transfer…')

/** A quantity line of a lot- or quantity-tracked SKU, with the fields an operation adds (`from`, `price`). */
export const quantity = <E extends z.ZodRawShape>(extra: E, id: string) =>
  z
    .object({
      sku: code('SKU'),
      lot: z.string().trim().min(1).max(64).optional().describe('lot code (required for lot-tracked SKUs)'),
      quantity: z.number().int().positive().max(1e9),
      ...extra,
    })
    .strict()
    .meta({ id })
/** The quantity lines of an operation: up to 1000, none by default. */
export const quantities = <E extends z.ZodRawShape>(extra: E, id: string) =>
  z.array(quantity(extra, id)).max(1000).default([])
export const at = code('location').describe('code of the location the stock is at')

export const OperationResult = z
  .object({
    documentId: z.string(),
    number: z.string(),
    eventId: z.string(),
    eventSeq: z.number(),
    unitCount: z.number(),
    quantity: z.number().describe('sum of the quantities moved'),
  })
  .meta({ id: 'OperationResult' })

export type OperationResult = z.infer<typeof OperationResult>
