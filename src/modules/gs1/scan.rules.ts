/* eslint-disable no-control-regex -- scanners send GS (0x1D) as data, and stray control characters must be caught */
/*
 * What a scanner (or a person) typed into a scan field, understood. The one place scan formats are
 * parsed (server lookups, every operation's `{scan}`, the web app), so new ones are added here only.
 *
 * Accepted:
 *  - a plain serial or extra identifier (IMEI, MAC): looked up as it is;
 *  - a GS1 element string in human-readable form: `(01)09506000134352(21)ABC123`;
 *  - raw GS1 data as a keyboard-wedge scanner sends it: `0109506000134352` `21ABC123` with FNC1 sent as
 *    the GS control character (0x1D), optionally after a symbology identifier such as `]C1` (GS1-128),
 *    `]d2` (GS1 DataMatrix), `]Q3` (GS1 QR) or `]e0` (GS1 DataBar);
 *  - raw GS1 data without separators when it starts with AI 01 and a valid GTIN (some scanners drop the
 *    GS); the whole scan is then also tried as a plain code;
 *  - a GS1 Digital Link URI: `https://id.example.com/01/09506000134352/21/ABC123`;
 *  - an EPC URN: `urn:epc:id:sgtin:0614141.107346.2017`, `urn:epc:id:sscc:…`.
 * Every AI is checked by GS1's Barcode Syntax Dictionary (`ai-table.gen.rules.ts`): length, character set,
 * check digits, dates.
 *
 * Pure (no I/O, no DOM), shared by the web app and the server: unit-tested in scan.rules.test.ts.
 */

import { describeFirstBad } from '../catalog/plain-language.rules.js'
import { isValidGtin } from '../catalog/sku.rules.js'
import {
  type AiElement,
  type AiParse,
  aiRecord,
  checkMutualExclusions,
  checkRequisites,
  parseAiData,
  parseBracketed,
} from './ai.rules.js'
import { looksLikeDigitalLink, parseDigitalLinkUri } from './digital-link.rules.js'
import { isEpcUrn, parseEpcUrn } from './epc.rules.js'

export type ParsedScan =
  | { kind: 'plain'; raw: string; code: string }
  | {
      kind: 'gs1'
      raw: string
      /** The serial (AI 21) to look up; undefined when the barcode carries a GTIN but no serial. */
      code: string | undefined
      /** GTIN-14 from AI 01, check digit verified. */
      gtin?: string
      serial?: string
      lot?: string
      /** AI 17 as YYYY-MM-DD. */
      expiry?: string
      /** AI 00: the SSCC of a logistic unit (a case or pallet: a container). */
      sscc?: string
      /** AI 8040: the IMEI of a phone. */
      imei?: string
      /** Every application identifier found, as AI → value. */
      ais: Record<string, string>
      /** The same, in the order the barcode carried them. */
      elements: AiElement[]
      /** A code to try when `code` finds nothing (raw data whose GS1 reading was a guess). */
      fallback?: string
    }
  | { kind: 'invalid'; raw: string; message: string }

/** FNC1 as scanners transmit it: ASCII GS, or its visible stand-in. */
const GS = /[\x1d\u241d]/

/** Symbology identifiers (ISO/IEC 15424) that announce GS1 data. */
const GS1_SYMBOLOGIES = new Set([']C1', ']e0', ']e1', ']e2', ']d2', ']Q3', ']J1'])

// The check-digit rule is the catalog's own (the server refuses the same GTINs).
export { isValidGtin }

/** A GTIN as 14 digits, so GTIN-13 `4006381333931` equals AI 01 `04006381333931`. */
export const gtin14 = (gtin: string): string => gtin.padStart(14, '0')

type AiResult = { ok: true; ais: Record<string, string> } | { ok: false; message: string }

/** Parses raw GS1 data: AIs back to back, variable-length values ended by GS or the end of data. */
export function parseRawAis(data: string): AiResult {
  const parsed = parseAiData(data.replace(/^[\x1d\u241d]+/, ''), GS)
  return parsed.ok ? { ok: true, ais: aiRecord(parsed.elements) } : parsed
}

/** YYMMDD (DD may be 00: the month's last day) as YYYY-MM-DD, years 51–99 meaning 19xx as GS1 says (roughly). */
function gs1Date(yymmdd: string): string | undefined {
  if (!/^\d{6}$/.test(yymmdd)) return undefined
  const yy = Number(yymmdd.slice(0, 2))
  const year = yy >= 51 ? 1900 + yy : 2000 + yy
  const month = Number(yymmdd.slice(2, 4))
  let day = Number(yymmdd.slice(4, 6))
  if (month < 1 || month > 12) return undefined
  if (day === 0) day = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/**
 * Validates parsed elements against the Syntax Dictionary's combination rules: each AI's `req` (AIs it
 * needs beside it) and `ex` (AIs it cannot go with). The message names the AIs.
 */
export function validateAiCombination(result: AiParse): AiParse {
  if (!result.ok) return result
  const broken = checkRequisites(result.elements) ?? checkMutualExclusions(result.elements)
  return broken === undefined ? result : { ok: false, message: broken }
}

function fromElements(raw: string, parsed: AiParse, fallback?: string): ParsedScan {
  const result = validateAiCombination(parsed)
  if (!result.ok) return { kind: 'invalid', raw, message: result.message }
  const ais = aiRecord(result.elements)
  const gtin = ais['01'] ?? ais['02']
  const serial = ais['21']
  const expiry = ais['17'] !== undefined ? gs1Date(ais['17']) : undefined
  return {
    kind: 'gs1',
    raw,
    code: serial,
    ais,
    elements: result.elements,
    ...(gtin !== undefined && { gtin }),
    ...(serial !== undefined && { serial }),
    ...(ais['10'] !== undefined && { lot: ais['10'] }),
    ...(expiry !== undefined && { expiry }),
    ...(ais['00'] !== undefined && { sscc: ais['00'] }),
    ...(ais['8040'] !== undefined && { imei: ais['8040'] }),
    ...(fallback !== undefined && { fallback }),
  }
}

/** A URL that is no Digital Link (no GS1 key in its path) is a plain code, such as a shop's own QR. */
const NOT_A_LINK = /no GS1 primary key/

/** Understands one scan. Never throws. */
export function parseScan(input: string): ParsedScan {
  const raw = input
  // Surrounding whitespace and line ends go; GS is data here, so only trim real whitespace.
  let text = input.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
  if (text === '') return { kind: 'invalid', raw, message: 'the scan is empty' }

  const sym = /^\][A-Za-z][0-9A-Za-z]/.exec(text)?.[0]
  if (sym) {
    text = text.slice(3)
    if (GS1_SYMBOLOGIES.has(sym)) return fromElements(raw, parseAiData(text.replace(/^[\x1d\u241d]+/, ''), GS))
    if (text === '') return { kind: 'invalid', raw, message: 'the scan is empty' }
  }
  if (text.startsWith('(') && /^\(\d{2,4}\)/.test(text)) return fromElements(raw, parseBracketed(text))
  if (looksLikeDigitalLink(text)) {
    const link = parseDigitalLinkUri(text, { permitZeroSuppressedGtin: true })
    if (link.ok || !NOT_A_LINK.test(link.message)) return fromElements(raw, link)
  }
  if (isEpcUrn(text)) return fromElements(raw, parseEpcUrn(text))
  if (GS.test(text)) return fromElements(raw, parseAiData(text.replace(/^[\x1d\u241d]+/, ''), GS))
  // GS1 data whose separators were lost: trust it only when it starts with AI 01 and a valid GTIN and
  // parses completely; then the whole scan stays a fallback in case it was a serial after all.
  if (/^01\d{14}./.test(text) && isValidGtin(text.slice(2, 16))) {
    const parsed = parseAiData(text, GS)
    if (parsed.ok && parsed.elements.some((e) => e.ai !== '01')) return fromElements(raw, parsed, text)
  }
  if (/[\x00-\x1f\x7f]/.test(text)) {
    const bad = describeFirstBad(text, (c) => !/[\x00-\x1f\x7f]/.test(c))
    return { kind: 'invalid', raw, message: `the scan contains ${bad}` }
  }
  return { kind: 'plain', raw, code: text }
}

/** The codes to look up for a scan, in order (the serial, then the raw scan when the GS1 reading was a guess). */
export function lookupCodes(scan: ParsedScan): string[] {
  if (scan.kind === 'plain') return [scan.code]
  if (scan.kind === 'gs1') return [scan.code, scan.fallback].filter((c): c is string => c !== undefined)
  return []
}

/** A short human description of a scan, for feedback lines: `ABC123` or `GTIN 09506000134352 serial ABC123`. */
export function describeScan(scan: ParsedScan): string {
  if (scan.kind === 'plain') return scan.code
  if (scan.kind === 'invalid') return JSON.stringify(scan.raw.replace(/\x1d/g, '<GS>'))
  return [
    scan.sscc && `SSCC ${scan.sscc}`,
    scan.gtin && `GTIN ${scan.gtin}`,
    scan.serial && `serial ${scan.serial}`,
    scan.lot && `lot ${scan.lot}`,
    scan.imei && `IMEI ${scan.imei}`,
  ]
    .filter(Boolean)
    .join(' ')
}

/**
 * The GTIN a code is when it is one (8, 12, 13 or 14 digits with a valid check digit), as GTIN-14, so a
 * box's EAN-13 `9506000134352` and its GTIN-14 `09506000134352` both name the same product barcode.
 */
export function gtinOfCode(code: string): string | undefined {
  const t = code.trim()
  return /^(\d{8}|\d{12,14})$/.test(t) && isValidGtin(t) ? gtin14(t) : undefined
}

/** The product GTIN a scan carries without a unit serial: a plain GTIN, or a GS1 barcode with AI 01 and no AI 21. */
export function productGtinOf(scan: ParsedScan): string | undefined {
  if (scan.kind === 'plain') return gtinOfCode(scan.code)
  if (scan.kind === 'gs1' && scan.serial === undefined && scan.gtin) return gtin14(scan.gtin)
  return undefined
}

/** True when a string of digits passes the Luhn check (the IMEI's check digit). */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

/** True when a code is an IMEI: 15 digits whose last is the Luhn check digit. */
export const isImei = (code: string): boolean => /^\d{15}$/.test(code.trim()) && isLuhnValid(code.trim())

/**
 * The unit a scan names, as an operation takes it: its serial and, from a GS1 barcode, the GTIN the unit's
 * SKU must have; or why the scan names no single unit (unreadable, a product barcode without a serial).
 */
export function unitOfScan(input: string): { serial: string; gtin?: string } | { message: string } {
  const scan = parseScan(input)
  if (scan.kind === 'invalid') return { message: `cannot read the scan: ${scan.message}` }
  if (scan.kind === 'plain') return { serial: scan.code }
  if (scan.code === undefined) {
    if (scan.sscc) return { message: `SSCC ${scan.sscc} names a container, not a unit` }
    return { message: `${describeScan(scan)} carries no serial (AI 21): scan the unit's own label` }
  }
  return { serial: scan.code, ...(scan.gtin !== undefined && { gtin: gtin14(scan.gtin) }) }
}
