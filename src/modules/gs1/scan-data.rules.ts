/*
 * Scan data as a barcode reader transmits it: a symbology identifier (ISO/IEC 15424, `]d2` GS1
 * DataMatrix, `]Q1` plain QR, …) and the data, FNC1 separators sent as GS (0x1D). Turned into the Syntax
 * Engine's data string (`^`-element string for GS1 data, the text with `^` escaped as `\^` otherwise)
 * and back. Pure; tested against GS1's Syntax Engine vectors.
 */
import { hasGs1CheckDigit, parseAiData } from './ai.rules.js'
import { looksLikeDigitalLink, parseDigitalLinkUri } from './digital-link.rules.js'

export type Symbology = 'QR' | 'DM' | 'DotCode' | 'DataBarExpanded' | 'GS1_128_CCA' | 'EAN13' | 'EAN8'

/** Symbology identifiers: which symbology, and whether the data is GS1 AI data. */
const IDENTIFIERS: Record<string, { symbology: Symbology; gs1: boolean }> = {
  ']Q1': { symbology: 'QR', gs1: false },
  ']Q3': { symbology: 'QR', gs1: true },
  ']d1': { symbology: 'DM', gs1: false },
  ']d2': { symbology: 'DM', gs1: true },
  ']J0': { symbology: 'DotCode', gs1: false },
  ']J1': { symbology: 'DotCode', gs1: true },
  ']e0': { symbology: 'DataBarExpanded', gs1: true },
  ']C1': { symbology: 'GS1_128_CCA', gs1: true },
  ']E0': { symbology: 'EAN13', gs1: false },
  ']E4': { symbology: 'EAN8', gs1: false },
}
/** The identifier a symbology's GS1 (or plain) data is sent with. */
const PREFIX_OF: Record<Symbology, { gs1?: string; plain?: string }> = {
  QR: { gs1: ']Q3', plain: ']Q1' },
  DM: { gs1: ']d2', plain: ']d1' },
  DotCode: { gs1: ']J1', plain: ']J0' },
  DataBarExpanded: { gs1: ']e0' },
  GS1_128_CCA: { gs1: ']C1' },
  EAN13: { plain: ']E0' },
  EAN8: { plain: ']E4' },
}

const GS = '\x1d'
export type ScanDataResult =
  { ok: true; symbology: Symbology; dataString: string; gs1: boolean } | { ok: false; message: string }

/** Reads GS1 AI data sent with GS separators into a `^`-element string, checking every AI. */
function gs1DataString(data: string): { ok: true; dataString: string } | { ok: false; message: string } {
  const parsed = parseAiData(data, GS)
  return parsed.ok ? { ok: true, dataString: `^${data.replaceAll(GS, '^')}` } : parsed
}

/** An EAN/UPC's digits (13 for ]E0, 8 for ]E4), with an optional `|]e0…` composite part. */
function eanDataString(symbology: 'EAN13' | 'EAN8', data: string): ScanDataResult {
  const [linear, composite] = data.split('|')
  const digits = symbology === 'EAN13' ? 13 : 8
  if (!new RegExp(`^\\d{${digits}}$`).test(linear!) || !hasGs1CheckDigit(linear!))
    return { ok: false, message: `${symbology} data must be ${digits} digits with a valid check digit` }
  if (composite === undefined) return { ok: true, symbology, dataString: linear!, gs1: false }
  if (!composite.startsWith(']e0')) return { ok: false, message: 'a composite part starts with ]e0' }
  const cc = gs1DataString(composite.slice(3))
  return cc.ok ? { ok: true, symbology, dataString: `${linear}|${cc.dataString}`, gs1: false } : cc
}

/** Reads scan data (symbology identifier first) into its symbology and data string, checking GS1 data. */
export function processScanData(scan: string): ScanDataResult {
  const id = IDENTIFIERS[scan.slice(0, 3)]
  if (!id) return { ok: false, message: `unknown or missing symbology identifier "${scan.slice(0, 3)}"` }
  const data = scan.slice(3)
  if (id.symbology === 'EAN13' || id.symbology === 'EAN8') return eanDataString(id.symbology, data)
  if (id.gs1) {
    const r = gs1DataString(data)
    return r.ok ? { ok: true, symbology: id.symbology, dataString: r.dataString, gs1: true } : r
  }
  if (looksLikeDigitalLink(data)) {
    const link = parseDigitalLinkUri(data, { permitZeroSuppressedGtin: true })
    if (!link.ok) return link
  }
  return { ok: true, symbology: id.symbology, dataString: data.replaceAll('^', '\\^'), gs1: false }
}

/** Scan data a reader would send for a data string (`^…` GS1 data, else plain with `\^` for a caret). */
export function generateScanData(symbology: Symbology, dataString: string): string | undefined {
  const prefixes = PREFIX_OF[symbology] as (typeof PREFIX_OF)[Symbology] | undefined
  if (dataString === '' || !prefixes) return undefined
  if (dataString.startsWith('^')) {
    if (!prefixes.gs1 || !parseAiData(dataString.slice(1), '^').ok) return undefined
    return prefixes.gs1 + dataString.slice(1).replaceAll('^', GS)
  }
  if (!prefixes.plain) return undefined
  if (symbology === 'EAN13' || symbology === 'EAN8') {
    const ok = !dataString.includes('|') && eanDataString(symbology, dataString).ok
    return ok ? prefixes.plain + dataString : undefined
  }
  return prefixes.plain + dataString.replaceAll('\\^', '^')
}
