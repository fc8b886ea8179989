/* eslint-disable no-control-regex -- scanners send GS (0x1D) as data, and stray control characters must be caught */
/*
 * What a scanner (or a person) typed into a scan field, understood. The one place scan formats are
 * parsed, so new ones (more GS1 AIs, vendor label formats) are added here and nowhere else.
 *
 * Accepted:
 *  - a plain serial or extra identifier (IMEI, MAC): looked up as it is;
 *  - a GS1 element string in human-readable form: `(01)09506000134352(21)ABC123`;
 *  - raw GS1 data as a keyboard-wedge scanner sends it: `0109506000134352` `21ABC123` with FNC1 sent as
 *    the GS control character (0x1D), optionally after a symbology identifier such as `]C1` (GS1-128),
 *    `]d2` (GS1 DataMatrix), `]Q3` (GS1 QR) or `]e0` (GS1 DataBar);
 *  - raw GS1 data without separators when it starts with AI 01 and a valid GTIN (some scanners drop the
 *    GS); the whole scan is then also tried as a plain code;
 *  - a GS1 Digital Link URI: `https://id.example.com/01/09506000134352/21/ABC123`.
 *
 * Pure (no I/O, no DOM), shared by the web app and the server: unit-tested in scan.rules.test.ts.
 */

import { describeFirstBad } from '../catalog/plain-language.rules.js'
import { isValidGtin } from '../catalog/sku.rules.js'

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
      /** Every application identifier found, as AI → value. */
      ais: Record<string, string>
      /** A code to try when `code` finds nothing (raw data whose GS1 reading was a guess). */
      fallback?: string
    }
  | { kind: 'invalid'; raw: string; message: string }

/** FNC1 as scanners transmit it: ASCII GS, or its visible stand-in. */
const GS = /[\x1d\u241d]/

/** Symbology identifiers (ISO/IEC 15424) that announce GS1 data. */
const GS1_SYMBOLOGIES = new Set([']C1', ']e0', ']e1', ']e2', ']d2', ']Q3', ']J1'])

/**
 * Application identifiers with a predefined length (GS1 General Specifications, figure 7.8.5-2):
 * no FNC1 after them.
 */
const FIXED: Record<string, number> = {
  '00': 18,
  '01': 14,
  '02': 14,
  '03': 14,
  '04': 16,
  '11': 6,
  '12': 6,
  '13': 6,
  '14': 6,
  '15': 6,
  '16': 6,
  '17': 6,
  '18': 6,
  '19': 6,
  '20': 2,
}
/** Variable-length AIs we know by name: their maximum length. */
const VARIABLE: Record<string, number> = {
  '10': 20,
  '21': 20,
  '22': 20,
  '30': 8,
  '37': 8,
  '90': 30,
  '91': 90,
  '92': 90,
  '93': 90,
  '94': 90,
  '95': 90,
  '96': 90,
  '97': 90,
  '98': 90,
  '99': 90,
  '235': 28,
  '240': 30,
  '241': 30,
  '242': 6,
  '243': 20,
  '250': 30,
  '251': 30,
  '253': 30,
  '254': 20,
  '255': 25,
  '400': 30,
  '401': 30,
  '402': 17,
  '403': 30,
  '420': 20,
  '421': 12,
  '422': 3,
  '423': 15,
  '424': 3,
  '425': 15,
  '426': 3,
  '427': 3,
  '7001': 13,
  '7002': 30,
  '7003': 10,
  '7004': 4,
  '7005': 12,
  '7006': 6,
  '7007': 12,
  '7008': 3,
  '7009': 10,
  '7010': 2,
  '8001': 14,
  '8002': 20,
  '8003': 30,
  '8004': 30,
  '8005': 6,
  '8006': 18,
  '8007': 34,
  '8008': 12,
  '8009': 50,
  '8010': 30,
  '8011': 12,
  '8012': 20,
  '8013': 25,
  '8017': 18,
  '8018': 18,
  '8019': 10,
  '8020': 25,
}

/** Length of the AI at the start of `s`, or undefined when it is not one we know. */
function aiAt(s: string): { ai: string; fixed?: number; max: number } | undefined {
  const two = s.slice(0, 2)
  if (FIXED[two] !== undefined) return { ai: two, fixed: FIXED[two], max: FIXED[two] }
  if (VARIABLE[two] !== undefined) return { ai: two, max: VARIABLE[two] }
  // 310n–369n: trade measures, 4-digit AI plus 6 digits.
  if (/^3[1-6]\d\d/.test(s)) return { ai: s.slice(0, 4), fixed: 6, max: 6 }
  // 410–417: GLNs, 13 digits.
  if (/^41[0-7]/.test(s)) return { ai: s.slice(0, 3), fixed: 13, max: 13 }
  const three = s.slice(0, 3)
  if (VARIABLE[three] !== undefined) return { ai: three, max: VARIABLE[three] }
  const four = s.slice(0, 4)
  if (VARIABLE[four] !== undefined) return { ai: four, max: VARIABLE[four] }
  return undefined
}

// The check-digit rule is the catalog's own (the server refuses the same GTINs).
export { isValidGtin }

/** A GTIN as 14 digits, so GTIN-13 `4006381333931` equals AI 01 `04006381333931`. */
export const gtin14 = (gtin: string): string => gtin.padStart(14, '0')

type AiResult = { ok: true; ais: Record<string, string> } | { ok: false; message: string }

/** Parses raw GS1 data: AIs back to back, variable-length values ended by GS or the end of data. */
export function parseRawAis(data: string): AiResult {
  const ais: Record<string, string> = {}
  let s = data.replace(/^[\x1d\u241d]+/, '')
  while (s.length > 0) {
    const ai = aiAt(s)
    if (!ai) return { ok: false, message: `unknown GS1 application identifier at "${s.slice(0, 4)}"` }
    s = s.slice(ai.ai.length)
    let value: string
    if (ai.fixed !== undefined) {
      value = s.slice(0, ai.fixed)
      if (value.length < ai.fixed)
        return { ok: false, message: `AI (${ai.ai}) needs ${ai.fixed} characters, got ${value.length}` }
      s = s.slice(ai.fixed)
    } else {
      const end = s.search(GS)
      value = end < 0 ? s : s.slice(0, end)
      if (value.length > ai.max)
        return { ok: false, message: `AI (${ai.ai}) is longer than ${ai.max} characters (a missing GS separator?)` }
      s = end < 0 ? '' : s.slice(end)
    }
    if (value === '') return { ok: false, message: `AI (${ai.ai}) is empty` }
    if (ais[ai.ai] !== undefined) return { ok: false, message: `AI (${ai.ai}) appears twice` }
    ais[ai.ai] = value
    s = s.replace(/^[\x1d\u241d]+/, '')
  }
  return { ok: true, ais }
}

/** Parses `(01)…(21)…`. */
function parseElementString(text: string): AiResult {
  const ais: Record<string, string> = {}
  const re = /\((\d{2,4})\)([^()]*)/g
  let consumed = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index !== consumed) break
    consumed = re.lastIndex
    const [, ai, value] = m as unknown as [string, string, string]
    if (value === '') return { ok: false, message: `AI (${ai}) is empty` }
    if (ais[ai] !== undefined) return { ok: false, message: `AI (${ai}) appears twice` }
    ais[ai] = value
  }
  if (consumed !== text.length)
    return { ok: false, message: `cannot read the GS1 element string after "${text.slice(0, consumed)}"` }
  return { ok: true, ais }
}

/** Parses the path of a GS1 Digital Link URI: `/01/{gtin}/21/{serial}` (a path prefix is allowed). */
function parseDigitalLink(text: string): AiResult | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  const parts = url.pathname.split('/').filter(Boolean)
  const at = parts.findIndex(
    (p, i) => /^(01|00|8006|8010|8013|253|255|414|417|8003|8004|8017|8018|401|402)$/.test(p) && i + 1 < parts.length,
  )
  if (at < 0 || parts[at] !== '01') return undefined
  const ais: Record<string, string> = {}
  for (let i = at; i + 1 < parts.length; i += 2) ais[parts[i]!] = decodeURIComponent(parts[i + 1]!)
  for (const [k, v] of url.searchParams) if (/^\d{2,4}$/.test(k)) ais[k] = v
  return { ok: true, ais }
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

function fromAis(raw: string, result: AiResult, fallback?: string): ParsedScan {
  if (!result.ok) return { kind: 'invalid', raw, message: result.message }
  const { ais } = result
  const gtin = ais['01'] ?? ais['02']
  if (gtin !== undefined && !isValidGtin(gtin))
    return { kind: 'invalid', raw, message: `GTIN ${gtin} has a wrong check digit` }
  const serial = ais['21']
  const expiry = ais['17'] !== undefined ? gs1Date(ais['17']) : undefined
  return {
    kind: 'gs1',
    raw,
    code: serial,
    ais,
    ...(gtin !== undefined && { gtin }),
    ...(serial !== undefined && { serial }),
    ...(ais['10'] !== undefined && { lot: ais['10'] }),
    ...(expiry !== undefined && { expiry }),
    ...(fallback !== undefined && { fallback }),
  }
}

/** Understands one scan. Never throws. */
export function parseScan(input: string): ParsedScan {
  const raw = input
  // Surrounding whitespace and line ends go; GS is data here, so only trim real whitespace.
  let text = input.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
  if (text === '') return { kind: 'invalid', raw, message: 'the scan is empty' }

  const sym = /^\][A-Za-z][0-9A-Za-z]/.exec(text)?.[0]
  if (sym) {
    text = text.slice(3)
    if (GS1_SYMBOLOGIES.has(sym)) return fromAis(raw, parseRawAis(text))
    if (text === '') return { kind: 'invalid', raw, message: 'the scan is empty' }
  }
  if (text.startsWith('(') && /^\(\d{2,4}\)/.test(text)) return fromAis(raw, parseElementString(text))
  if (/^https?:\/\//i.test(text)) {
    const link = parseDigitalLink(text)
    if (link) return fromAis(raw, link)
  }
  if (GS.test(text)) return fromAis(raw, parseRawAis(text))
  // GS1 data whose separators were lost: trust it only when it starts with AI 01 and a valid GTIN and
  // parses completely; then the whole scan stays a fallback in case it was a serial after all.
  if (/^01\d{14}./.test(text) && isValidGtin(text.slice(2, 16))) {
    const parsed = parseRawAis(text)
    if (parsed.ok && Object.keys(parsed.ais).some((k) => k !== '01')) return fromAis(raw, parsed, text)
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
  return [scan.gtin && `GTIN ${scan.gtin}`, scan.serial && `serial ${scan.serial}`, scan.lot && `lot ${scan.lot}`]
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
