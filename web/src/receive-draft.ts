/*
 * A receipt while it is being put together in the browser: the header fields, which SKU the scans are
 * for, the manifest of expected serials, the checks each scanned serial passes before it joins the batch,
 * the checks before sending, and the request built from it all. Pure (no DOM, no I/O): the page renders
 * it and does the lookups; test/web/receive-draft.test.ts says what it does.
 */
import { normalizeSerial, serialRuleOf } from '../../src/modules/catalog/serial.rules.js'
import { gtin14, isImei, type ParsedScan, parseScan, productGtinOf } from '../../src/modules/gs1/index.js'
import type { Issue } from './api/problem.js'
import { splitList } from './batch-inputs.js'
import { filledLines, type QuantityLine, quantityLinesProblem, receiptLinesForApi } from './quantity-lines.js'
import type { IdentifierRule } from '../../src/modules/catalog/sku.rules.js'
import type { ReceiveRequest, Sku, Unit } from './types.js'

/** The receipt's own fields, as typed. */
export interface ReceiptHeader {
  supplier: string
  location: string
  /** The serial-tracked SKU the next scans are for (it may change between scans). */
  skuCode: string
  number: string
  supplierRef: string
  po: string
  /** Lot and unit cost of the scanned units. */
  lot: string
  unitCost: string
}

export const emptyHeader = (): ReceiptHeader => ({
  supplier: '',
  location: '',
  skuCode: '',
  number: '',
  supplierRef: '',
  po: '',
  lot: '',
  unitCost: '',
})

/**
 * The header for the next receipt: the same location, SKU, lot and cost; the supplier and the documents
 * (number, delivery note, order) are the last delivery's and go, so the next one is never booked to them.
 */
export const nextHeader = (h: ReceiptHeader): ReceiptHeader => ({
  ...h,
  supplier: '',
  number: '',
  supplierRef: '',
  po: '',
})

/** A scanned serial as the receipt reads it (the batch's item holds more). */
export interface ReceiptItem {
  key: string
  serial: string
  sku?: string
  identifiers?: Record<string, string>
}

/** The serial-tracked SKU a code names, or why it names none (nothing while no code is typed). */
export function serialSkuOf(code: string, skus: readonly Sku[]): { sku?: Sku; problem?: string } {
  const wanted = code.trim()
  if (!wanted) return {}
  const sku = skus.find((s) => s.code === wanted)
  if (sku?.tracking === 'serial') return { sku }
  return { problem: sku ? `${code} is not serial-tracked` : `no SKU ${code}` }
}

/**
 * The manifest's serials (one per line, or separated by commas, semicolons, tabs), normalised as the SKU
 * stores them.
 */
export function manifestOf(text: string, sku: Sku | undefined): Set<string> {
  const out = new Set<string>()
  if (!sku) return out
  const rule = serialRuleOf(sku)
  for (const s of splitList(text)) {
    const c = normalizeSerial(s, rule)
    out.add(c.ok ? c.serial : s)
  }
  return out
}

type SerialOf = { ok: true; serial: string } | { ok: false; message: string; isWrongSku?: boolean }

/** Normalises the serial a scan carries for a SKU, or says why it cannot be received. */
export function serialOf(raw: string, sku: Sku, skus: readonly Sku[]): SerialOf {
  return serialOfScan(parseScan(raw), sku, skus)
}

function serialOfScan(scan: ParsedScan, sku: Sku, skus: readonly Sku[]): SerialOf {
  if (scan.kind === 'invalid') return { ok: false, message: `${scan.raw}: ${scan.message}` }
  let serial: string
  if (scan.kind === 'gs1') {
    if (!scan.serial) return { ok: false, message: `GTIN ${scan.gtin} without a serial: scan the serial barcode` }
    if (scan.gtin && sku.gtin && gtin14(scan.gtin) !== gtin14(sku.gtin)) {
      const owner = skus.find((s) => s.gtin && gtin14(s.gtin) === gtin14(scan.gtin!))
      return {
        ok: false,
        isWrongSku: true,
        message:
          `${scan.serial}: GTIN ${scan.gtin} is ` +
          `${owner ? `SKU ${owner.code}` : 'not a known SKU'}, not ${sku.code}`,
      }
    }
    serial = scan.serial
  } else serial = scan.code
  const check = normalizeSerial(serial, serialRuleOf(sku))
  if (!check.ok) return { ok: false, message: `${serial}: ${check.reason}` }
  return { ok: true, serial: check.serial }
}

/** An extra identifier as people name it: IMEI, MAC, or its own name. */
export const identifierLabel = (name: string) => (/^(imei|mac|meid|iccid|eid)$/i.test(name) ? name.toUpperCase() : name)

/** Whether a scanned code can be a unit's identifier: an IMEI by its 15 digits and check digit, others by pattern. */
export function identifierFits(rule: IdentifierRule, code: string): boolean {
  const pattern = rule.pattern ? new RegExp(`^(?:${rule.pattern})$`) : undefined
  if (/^imei$/i.test(rule.name)) return isImei(code) && (!pattern || pattern.test(code))
  return /^[\x21-\x7e]+$/.test(code) && (!pattern || pattern.test(code))
}

/** What one scan is to the receipt, before any lookup. */
export type ReceiptScan =
  /** A unit's serial: its batch key and normalised serial. */
  | { key: string; serial: string }
  /** An extra identifier (the IMEI of the unit being scanned). */
  | { identifier: string; value: string }
  /** Refused; `wrongSku` when it is another SKU's barcode. */
  | { refuse: string; wrongSku?: boolean }

/**
 * What a scan adds to the receipt, or why it is refused, before any lookup. A product barcode (the
 * GTIN of any SKU, as EAN-13 or GTIN-14) is never a serial. When the unit just scanned waits for an
 * identifier (`expecting`), the scan must be that identifier; otherwise a code that can only be an IMEI
 * (15 digits, Luhn check digit) of a SKU that declares one is taken as the IMEI, not as a serial.
 */
export function receiptScan(
  raw: string,
  sku: Sku | undefined,
  skus: readonly Sku[],
  expecting?: { name: string; serial?: string },
): ReceiptScan {
  if (!sku) return { refuse: 'Choose a serial-tracked SKU first' }
  const scan = parseScan(raw)
  const product = productGtinOf(scan)
  const owner = product && skus.find((s) => s.gtin && gtin14(s.gtin) === product)
  if (owner) {
    const code = scan.kind === 'plain' ? scan.code : `GTIN ${product}`
    return owner.code === sku.code
      ? { refuse: `${code} is the product barcode of ${sku.code} (${sku.name}), not a serial: scan the serial label` }
      : {
          refuse: `${code} is the product barcode of another SKU, ${owner.code} (${owner.name}), not of ${sku.code}`,
          wrongSku: true,
        }
  }
  const code = scan.kind === 'plain' ? scan.code : undefined
  const wanted = expecting && sku.identifiers.find((r) => r.name === expecting.name)
  if (wanted) {
    if (code !== undefined && identifierFits(wanted, code)) return { identifier: wanted.name, value: code }
    const label = identifierLabel(wanted.name)
    return {
      refuse:
        `${code ?? raw} is not an ${label}${/^imei$/i.test(wanted.name) ? ' (15 digits with a check digit)' : ''}: ` +
        `scan the ${label} of ${expecting.serial ?? 'this unit'}, or press Escape to receive it without one`,
    }
  }
  const imei = sku.identifiers.find((r) => /^imei$/i.test(r.name))
  if (code !== undefined && imei && identifierFits(imei, code)) return { identifier: imei.name, value: code }
  const s = serialOfScan(scan, sku, skus)
  if (!s.ok) return { refuse: s.message, ...(s.isWrongSku && { wrongSku: true }) }
  return { key: `${sku.code}|${s.serial}`, serial: s.serial }
}

export const duplicateRefusal = (serial: string) => `Duplicate: ${serial} is already in this receipt; not added again`

/** Why a serial cannot be received when the ledger already has a unit of that SKU with it (the lookup's answer). */
export function existingRefusal(serial: string, skuCode: string, found: readonly Unit[]): string | undefined {
  const u = found.find((f) => f.sku.code === skuCode && f.serial === serial)
  if (!u) return undefined
  return (
    `${serial} already exists: ${u.status.replace('_', ' ')}` +
    `${u.receipt ? `, received on ${u.receipt.number}` : ''}`
  )
}

/**
 * Why a serial another SKU's unit already has is not simply received (the lookup's answer): refused when
 * either SKU keeps its serials unique across all SKUs (`isStrict`), else received only once the clerk
 * confirms it is another device, by scanning it again.
 */
export function otherSkuRefusal(
  serial: string,
  sku: Sku,
  skus: readonly Sku[],
  found: readonly Unit[],
): { message: string; isStrict: boolean; otherSku: string } | undefined {
  const u = found.find((f) => f.sku.code !== sku.code && f.serial.toUpperCase() === serial.toUpperCase())
  if (!u) return undefined
  const where = `${u.status.replaceAll('_', ' ')}${u.location ? ` at ${u.location.code}` : ''}`
  const strict = sku.serialsUniqueAcrossSkus
    ? sku.code
    : skus.find((s) => s.code === u.sku.code)?.serialsUniqueAcrossSkus
      ? u.sku.code
      : undefined
  if (strict)
    return {
      isStrict: true,
      otherSku: u.sku.code,
      message:
        `${serial} is already a unit of SKU ${u.sku.code} (${where}); ` +
        `${strict} keeps its serials unique across all SKUs`,
    }
  return {
    isStrict: false,
    otherSku: u.sku.code,
    message:
      `${serial} is already a unit of SKU ${u.sku.code} (${u.sku.name}, ${where}): ` +
      `scan it again to receive it as another ${sku.code} unit`,
  }
}

/** Why an identifier cannot be given to the unit: another unit in the batch or in the ledger has it. */
export function identifierTaken(
  id: { identifier: string; value: string },
  sku: Sku,
  batch: readonly ReceiptItem[],
  found: readonly Unit[],
): string | undefined {
  const label = identifierLabel(id.identifier)
  const inBatch = batch.find((i) => i.identifiers?.[id.identifier] === id.value)
  if (inBatch) return `${label} ${id.value} is already on ${inBatch.serial} in this receipt`
  if (!sku.identifiers.find((r) => r.name === id.identifier)?.isUnique) return undefined
  const u = found.find((f) => f.identifiers[id.identifier] === id.value)
  return u ? `${label} ${id.value} is already on unit ${u.serial} (${u.sku.code})` : undefined
}

/** The batch item for an accepted serial: amber when there is a manifest and the serial is not on it. */
export function receiptItem(
  scan: { key: string; serial: string },
  skuCode: string,
  expected: ReadonlySet<string>,
  identifiers?: Record<string, string>,
) {
  const isOnManifest = expected.size === 0 || expected.has(scan.serial)
  return {
    key: scan.key,
    serial: scan.serial,
    sku: skuCode,
    identifiers,
    state: isOnManifest ? ('ok' as const) : ('warn' as const),
    note: isOnManifest ? undefined : 'not on the manifest',
  }
}

/** The manifest against the batch: expected serials not scanned yet, and scanned ones not expected. */
export function manifestTally<I extends ReceiptItem>(expected: ReadonlySet<string>, items: readonly I[]) {
  const scanned = new Set(items.map((i) => i.serial))
  return {
    missing: [...expected].filter((s) => !scanned.has(s)),
    unexpected: expected.size > 0 ? items.filter((i) => !expected.has(i.serial)) : [],
  }
}

export const isEmptyReceipt = (items: readonly ReceiptItem[], lines: readonly QuantityLine[]) =>
  items.length === 0 && filledLines(lines).length === 0

/** What keeps the receipt from being sent (the server checks again, with what this page does not know). */
export function receiptProblem(
  header: ReceiptHeader,
  items: readonly ReceiptItem[],
  lines: readonly QuantityLine[],
  skus: readonly Sku[],
): string | undefined {
  if (!header.supplier.trim() || !header.location.trim()) return 'Supplier and location are required'
  if (isEmptyReceipt(items, lines)) return 'Scan at least one serial or fill in a quantity line'
  return quantityLinesProblem(lines, skus, false)
}

/**
 * The receipt as POST /receipts takes it: one line per SKU scanned, in order of first scan, then one per
 * counted line (so `lines[k]` of a refusal still finds its serials), the manifest when one was pasted;
 * and the items of each serial line, for `issueIndex`.
 */
export function receiptRequest<I extends ReceiptItem>(
  header: ReceiptHeader,
  items: readonly I[],
  lines: readonly QuantityLine[],
  manifest?: { sku: string; serials: ReadonlySet<string> },
): { body: ReceiveRequest; groups: I[][] } {
  const bySku = new Map<string, I[]>()
  for (const i of items) bySku.set(i.sku!, [...(bySku.get(i.sku!) ?? []), i])
  const h = Object.fromEntries(Object.entries(header).map(([k, v]) => [k, v.trim()])) as ReceiptHeader
  const serialLines = [...bySku].map(([sku, group]) => ({
    sku,
    ...(h.lot && { lot: h.lot }),
    ...(h.unitCost && { unitCost: Number(h.unitCost) }),
    ...(group.some((i) => i.identifiers)
      ? { units: group.map((i) => ({ serial: i.serial, ...(i.identifiers && { identifiers: i.identifiers }) })) }
      : { serials: group.map((i) => i.serial) }),
  }))
  const body: ReceiveRequest = {
    supplier: h.supplier,
    location: h.location,
    ...(h.number && { number: h.number }),
    ...(h.supplierRef && { supplierRef: h.supplierRef }),
    ...(h.po && { po: h.po }),
    lines: [...serialLines, ...receiptLinesForApi(lines)],
    ...(manifest && manifest.serials.size > 0 && { expected: [{ sku: manifest.sku, serials: [...manifest.serials] }] }),
  }
  return { body, groups: [...bySku.values()] }
}

/** The batch index of the serial a server issue names by line and row (`lines[k]…`, row n), if any. */
export function issueIndex<I extends ReceiptItem>(
  issue: Issue,
  groups: readonly I[][],
  items: readonly I[],
): number | undefined {
  const k = Number(/lines\[(\d+)\]/.exec(issue.field)?.[1] ?? 0)
  const item = issue.row !== undefined ? groups[k]?.[issue.row - 1] : undefined
  return item ? items.indexOf(item) : undefined
}
