import { describeFirstBad, describeSerialFormat } from './plain-language.rules.js'
import type { SerialCase } from './sku.rules.js'

/** Longest serial accepted; GS1 AI (21) allows 20, but vendor serials and IMEIs with prefixes run longer. */
export const MAX_SERIAL_LENGTH = 64

/**
 * Printable ASCII without space: what barcode symbologies (Code 128, GS1 AI 21) and keyboard-wedge
 * scanners can carry. Anything else (a Cyrillic look-alike, a zero-width space, a control character) is
 * refused rather than silently stored as a different serial than the one printed on the label.
 */
const SERIAL_CHARS = /^[\x21-\x7e]+$/

export interface SerialRule {
  serialCase: SerialCase
  pattern: RegExp | null
  /** The pattern in words with an example serial, for refusals. */
  format?: string
}

/** Outcome of normalising one raw serial: the stored form, or why it is refused. */
export type SerialCheck = { ok: true; serial: string } | { ok: false; reason: string }

/**
 * Normalises a scanned or typed serial: trims surrounding whitespace, applies the SKU's case rule, then
 * checks characters, length and the SKU's pattern (which sees the normalised form).
 */
export function normalizeSerial(raw: string, rule: SerialRule): SerialCheck {
  const trimmed = raw.trim()
  if (trimmed === '') return { ok: false, reason: 'serial is empty' }
  if (trimmed.length > MAX_SERIAL_LENGTH)
    return { ok: false, reason: `serial is longer than ${MAX_SERIAL_LENGTH} characters` }
  if (!SERIAL_CHARS.test(trimmed)) {
    const bad = describeFirstBad(trimmed, (c) => SERIAL_CHARS.test(c))
    return { ok: false, reason: `serial contains ${bad}; only printable ASCII without spaces is allowed` }
  }
  const serial =
    rule.serialCase === 'upper' ? trimmed.toUpperCase() : rule.serialCase === 'lower' ? trimmed.toLowerCase() : trimmed
  if (rule.pattern && !rule.pattern.test(serial))
    return { ok: false, reason: `serial does not match the SKU's format: ${rule.format ?? rule.pattern.source}` }
  return { ok: true, serial }
}

/** Builds the rule once per SKU; the pattern is anchored so it must match the whole serial. */
export function serialRuleOf(sku: {
  serialCase: SerialCase
  serialPattern: string | null
  serialExample?: string | null
}): SerialRule {
  if (!sku.serialPattern) return { serialCase: sku.serialCase, pattern: null }
  return {
    serialCase: sku.serialCase,
    pattern: new RegExp(`^(?:${sku.serialPattern})$`),
    format: describeSerialFormat(sku.serialPattern, sku.serialExample),
  }
}
