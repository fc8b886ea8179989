/*
 * EPC URNs (GS1 EPC Tag Data Standard, pure identity form), as EPCIS documents and RFID middleware
 * write them: `urn:epc:id:sgtin:0614141.107346.2017` is GTIN 10614141073464 serial 2017. Read into the
 * same AI elements as a barcode, so one lookup serves both. Pure.
 */
import { type AiElement, type AiParse, aiDefinition, checkAiValue, gs1CheckDigit } from './ai.rules.js'
import { uriUnescape } from './digital-link.rules.js'

/** Company prefix + reference digits as TDS writes them, rebuilt into the key with its check digit. */
function key(cp: string, ref: string, digits: number, indicatorFirst: boolean): string | undefined {
  if (!/^\d+$/.test(cp) || !/^\d*$/.test(ref) || cp.length + ref.length !== digits) return undefined
  const body = indicatorFirst ? ref.slice(0, 1) + cp + ref.slice(1) : cp + ref
  return body + gs1CheckDigit(body)
}

/** A GTIN and one more element of its item (21: its serial, in an SGTIN; 10: its lot, in an LGTIN class). */
const gtinAnd =
  (ai: '21' | '10') =>
  ([cp, ref, part]: string[]): AiElement[] | undefined => {
    const gtin = key(cp!, ref!, 13, true)
    return gtin && part
      ? [
          { ai: '01', value: gtin },
          { ai, value: uriUnescape(part) },
        ]
      : undefined
  }

const SCHEMES: Record<string, (parts: string[]) => AiElement[] | undefined> = {
  'id:sgtin': gtinAnd('21'),
  'idpat:sgtin': ([cp, ref, star]) => {
    const gtin = key(cp!, ref!, 13, true)
    return gtin && star === '*' ? [{ ai: '01', value: gtin }] : undefined
  },
  'class:lgtin': gtinAnd('10'),
  'id:sscc': ([cp, ref]) => {
    const sscc = key(cp!, ref!, 17, true)
    return sscc ? [{ ai: '00', value: sscc }] : undefined
  },
  'id:sgln': ([cp, ref, ext]) => {
    const gln = key(cp!, ref!, 12, false)
    if (!gln || ext === undefined) return undefined
    return ext === '0'
      ? [{ ai: '414', value: gln }]
      : [
          { ai: '414', value: gln },
          { ai: '254', value: uriUnescape(ext) },
        ]
  },
}

/** True for text in the `urn:epc:` namespace (so a failure to read it is an error, not a plain serial). */
export const isEpcUrn = (text: string): boolean => /^urn:epc:/i.test(text)

/** Reads an EPC URN (sgtin, sscc, sgln, lgtin class, sgtin pattern) into AI elements. */
export function parseEpcUrn(urn: string): AiParse {
  const m = /^urn:epc:(id|idpat|class):([a-z]+):(.*)$/i.exec(urn)
  const scheme = m && SCHEMES[`${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}`]
  if (!m || !scheme)
    return { ok: false, message: `EPC URN scheme not supported: ${urn.split(':').slice(0, 4).join(':')}` }
  const elements = scheme(m[3]!.split('.'))
  if (!elements) return { ok: false, message: `cannot read the EPC URN ${urn}` }
  for (const e of elements) {
    const bad = checkAiValue(aiDefinition(e.ai)!, e.value)
    if (bad) return { ok: false, message: bad }
  }
  return { ok: true, elements }
}
