/*
 * The rules of a receipt, pure. A receipt streams (a million serials never sit in memory), so its
 * decision comes in three parts: the header (supplier, location, time, document), each line against
 * its SKU's tracking, and each serial against the SKU's serial and identifier rules as it streams in.
 * Refusals of all three are collected together and refuse the whole receipt.
 */
import type { FieldIssue } from '../../core/errors.js'
import { toMinor } from '../../core/money.js'
import type { IdentifierRule, Tracking } from '../catalog/sku.rules.js'
import { normalizeSerial, type SerialRule } from '../catalog/serial.rules.js'
import { gtin14, gtinOfCode } from '../gs1/scan.rules.js'
import * as op from '../operations/operations.rules.js'

export interface ReceiptHeaderFacts {
  supplier: { id: string }
  location: op.LocationFact
}

export interface ReceiptHeaderInput {
  number?: string
  supplierRef?: string
  po?: string
  asn?: string
  receivedAt?: string
}

/** The receipt's document and event header, as decided before any line is read. */
export interface ReceiptPlan {
  number: string | undefined
  supplierId: string
  location: op.LocationFact
  occurredAt: string
  reference: string | null
  data: { supplierRef?: string; po?: string; asn?: string }
}

/** A receipt goes into one location the actor may act at, from one supplier. */
export function decideReceiptHeader(
  cmd: ReceiptHeaderInput,
  f: ReceiptHeaderFacts,
  ctx: op.DecideContext,
): ReceiptPlan {
  op.refuseOutsideScope(ctx, [f.location.path])
  return {
    number: cmd.number,
    supplierId: f.supplier.id,
    location: f.location,
    occurredAt: op.businessTime(cmd.receivedAt, ctx.now),
    reference: cmd.supplierRef ?? cmd.asn ?? cmd.po ?? null,
    data: { supplierRef: cmd.supplierRef, po: cmd.po, asn: cmd.asn },
  }
}

/** A SKU as a receipt line needs it. */
export interface ReceiptSku {
  id: string
  code: string
  tracking: Tracking
  costMinor: number
  identifiers: readonly IdentifierRule[]
  gtin?: string | null
}

export interface ReceiptLineInput {
  lot?: string
  unitCost?: number
  quantity?: number
  /** Whether the line lists units (serials, units, a range or CSV). */
  hasUnits: boolean
}

/** What one line receives: a quantity, or a stream of serials; with its lot and cost. */
export interface ReceiptLinePlan {
  kind: 'quantity' | 'serials' | 'none'
  /** The lot to receive into (created on first use); none for quantity-tracked SKUs. */
  lot: string | undefined
  costMinor: number
}

/** Checks a line against its SKU's tracking; the issues it finds are added to `issues`. */
export function decideReceiptLine(
  line: ReceiptLineInput,
  sku: ReceiptSku,
  field: string,
  issues: { add(i: FieldIssue): void },
): ReceiptLinePlan {
  if (sku.tracking === 'lot' && !line.lot)
    issues.add({ field: `${field}.lot`, message: `${sku.code} is lot-tracked: the lot is required` })
  if (sku.tracking === 'quantity' && line.lot)
    issues.add({ field: `${field}.lot`, message: `${sku.code} is quantity-tracked: it has no lots` })
  const lot = line.lot && sku.tracking !== 'quantity' ? line.lot : undefined
  const costMinor = line.unitCost !== undefined ? toMinor(line.unitCost) : sku.costMinor
  let kind: ReceiptLinePlan['kind'] = 'none'
  if (sku.tracking === 'serial') {
    if (line.quantity !== undefined)
      issues.add({ field: `${field}.quantity`, message: `${sku.code} is serial-tracked: list serials, not a quantity` })
    if (!line.hasUnits)
      issues.add({ field, message: `${sku.code} is serial-tracked: give serials, units, range or csv` })
    else kind = 'serials'
  } else if (line.hasUnits)
    issues.add({ field, message: `${sku.code} is ${sku.tracking}-tracked: give a quantity, not serials` })
  else if (line.quantity === undefined)
    issues.add({ field: `${field}.quantity`, message: `${sku.code} needs a quantity` })
  else kind = 'quantity'
  return { kind, lot, costMinor }
}

/** One serial as given by the user, with where it came from (row number) for error messages. */
export interface RawUnit {
  serial: string
  identifiers?: Record<string, string>
  /** GTIN-14 read from a scan: the line's SKU must have it (when the SKU has a GTIN). */
  gtin?: string
  row: number
}

/** A received serial as stored: normalised, with its extra identifiers as canonical JSON (or null). */
export interface ReceivedSerial {
  serial: string
  attributes: string | null
}

/** Normalises one received serial and checks its identifiers; the issue when it is refused. */
export function decideReceivedSerial(
  raw: RawUnit,
  sku: ReceiptSku,
  rule: SerialRule,
  field: string,
): ReceivedSerial | FieldIssue {
  if (typeof raw.serial !== 'string') return { row: raw.row, field: `${field}.serial`, message: 'serial is missing' }
  const check = normalizeSerial(raw.serial, rule)
  if (!check.ok) return { row: raw.row, field: `${field}.serial`, value: raw.serial, message: check.reason }
  if (raw.gtin && sku.gtin && gtin14(sku.gtin) !== raw.gtin)
    return {
      row: raw.row,
      field: `${field}.scan`,
      value: raw.serial,
      message: `the scan is of GTIN ${raw.gtin}, not ${sku.code}'s GTIN ${gtin14(sku.gtin)}`,
    }
  const attributes = identifiersOf(raw, sku, field)
  return typeof attributes === 'object' && attributes !== null ? attributes : { serial: check.serial, attributes }
}

/** Checks a unit's extra identifiers against the SKU's declared ones. */
function identifiersOf(raw: RawUnit, sku: ReceiptSku, field: string): string | null | FieldIssue {
  if (!raw.identifiers) return null
  const out: Record<string, string> = {}
  for (const [name, rawValue] of Object.entries(raw.identifiers)) {
    const rule = sku.identifiers.find((r) => r.name === name)
    const value = rawValue.trim()
    const bad = !rule
      ? `${sku.code} declares no identifier "${name}"`
      : !/^[\x21-\x7e]+$/.test(value)
        ? 'must be printable ASCII without spaces'
        : rule.pattern && !new RegExp(`^(?:${rule.pattern})$`).test(value)
          ? `does not match ${rule.pattern}`
          : undefined
    if (bad) return { row: raw.row, field: `${field}.${name}`, value: rawValue, message: bad }
    out[name] = value
  }
  return Object.keys(out).length ? JSON.stringify(Object.fromEntries(Object.entries(out).sort())) : null
}

/** Whether a decided serial was refused. */
export const isIssue = (r: ReceivedSerial | FieldIssue): r is FieldIssue => 'message' in r

/** A received serial that is a product barcode's digits: the GTIN-14 it would be, when it is one. */
export const gtinCandidate = (serial: string): string | undefined => gtinOfCode(serial)

/** A serial waiting for the checks that need other SKUs: its row and the value as given. */
export interface ReceivedRow {
  serial: string
  row: number
  raw: string
}

/** A serial refused because it is a SKU's product barcode (a box's EAN-13 or GTIN-14 scanned as a serial). */
export function productBarcodeIssue(r: ReceivedRow, field: string, owner: { code: string }): FieldIssue {
  return {
    row: r.row,
    field: `${field}.serial`,
    value: r.raw,
    message: `${r.serial} is the product barcode (GTIN) of SKU ${owner.code}, not a unit serial: scan the serial label`,
  }
}

/** A unit of another SKU that already has a serial (what a receipt of a unique-serial SKU must not repeat). */
export interface OtherSkuUnit {
  serial: string
  skuCode: string
  serialsUniqueAcrossSkus: boolean
  status: string
  locationCode: string | null
}

/**
 * A serial refused because a unit of another SKU has it and either SKU keeps its serials unique across
 * all SKUs (one serial, one device); undefined when neither does (the web asks the clerk to confirm).
 */
export function otherSkuIssue(
  r: ReceivedRow,
  field: string,
  sku: { code: string; serialsUniqueAcrossSkus: boolean },
  other: OtherSkuUnit,
): FieldIssue | undefined {
  const strict = sku.serialsUniqueAcrossSkus ? sku.code : other.serialsUniqueAcrossSkus ? other.skuCode : undefined
  if (!strict) return undefined
  const where = `${other.status.replaceAll('_', ' ')}${other.locationCode ? ` at ${other.locationCode}` : ''}`
  return {
    row: r.row,
    field: `${field}.serial`,
    value: r.raw,
    message:
      `${r.serial} is already a unit of SKU ${other.skuCode} (${where}); ` +
      `${strict} keeps its serials unique across all SKUs`,
  }
}
