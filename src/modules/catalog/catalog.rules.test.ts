import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.js'
import { normalizeSerial, serialRuleOf } from './serial.rules.js'
import { expandSerialRange, serialRangeSize } from './serial-range.rules.js'
import { isValidGtin, normalizeGtin } from './sku.rules.js'

describe('GTIN', () => {
  it('accepts correct check digits for GTIN-8/12/13/14 and pads to 14', () => {
    expect(isValidGtin('4006381333931')).toBe(true)
    expect(isValidGtin('96385074')).toBe(true)
    expect(isValidGtin('036000291452')).toBe(true)
    expect(isValidGtin('10012345678902')).toBe(true)
    expect(normalizeGtin(' 036000291452 ')).toBe('00036000291452')
  })
  it('refuses a wrong check digit, length or non-digits', () => {
    for (const bad of ['4006381333932', '400638133393', 'ABCDEFGHIJKLM', '']) expect(isValidGtin(bad)).toBe(false)
    expect(() => normalizeGtin('4006381333932')).toThrow(AppError)
  })
})

describe('serial normalisation', () => {
  const upper = serialRuleOf({ serialCase: 'upper', serialPattern: null })
  it('trims surrounding whitespace and applies the case rule', () => {
    expect(normalizeSerial('  ab-12\t', upper)).toEqual({ ok: true, serial: 'AB-12' })
    expect(normalizeSerial('Ab-12', serialRuleOf({ serialCase: 'preserve', serialPattern: null }))).toEqual({
      ok: true,
      serial: 'Ab-12',
    })
    expect(normalizeSerial('AB-12', serialRuleOf({ serialCase: 'lower', serialPattern: null }))).toEqual({
      ok: true,
      serial: 'ab-12',
    })
  })
  it('refuses empty, inner whitespace, control characters, look-alikes and overlong serials', () => {
    expect(normalizeSerial('   ', upper)).toEqual({ ok: false, reason: 'serial is empty' })
    expect(normalizeSerial('AB 12', upper).ok).toBe(false)
    expect(normalizeSerial('AB\u000012', upper).ok).toBe(false)
    expect(normalizeSerial('АB-12', upper)).toEqual({
      ok: false,
      reason:
        "serial contains a Cyrillic 'А' that looks like a Latin 'A' at position 1; " +
        'only printable ASCII without spaces is allowed',
    })
    expect(normalizeSerial('A\u200bB', upper).ok).toBe(false)
    expect(normalizeSerial('X'.repeat(65), upper).ok).toBe(false)
  })
  it("matches the SKU's pattern against the whole normalised serial", () => {
    const rule = serialRuleOf({ serialCase: 'upper', serialPattern: 'PHX-\\d{4}' })
    expect(normalizeSerial('phx-0001', rule)).toEqual({ ok: true, serial: 'PHX-0001' })
    expect(normalizeSerial('PHX-00011', rule).ok).toBe(false)
    expect(normalizeSerial('XPHX-0001', rule).ok).toBe(false)
  })
})

describe('serial ranges', () => {
  it('expands with the start width as zero padding', () => {
    expect([...expandSerialRange('PHX-2026-{0098..0101}')]).toEqual([
      'PHX-2026-0098',
      'PHX-2026-0099',
      'PHX-2026-0100',
      'PHX-2026-0101',
    ])
    expect([...expandSerialRange('A{1..3}-Z')]).toEqual(['A1-Z', 'A2-Z', 'A3-Z'])
    expect(serialRangeSize('PHX-{00001..05000}')).toBe(5000)
  })
  it('refuses malformed, reversed and oversized ranges', () => {
    expect(() => serialRangeSize('PHX-{5..1}')).toThrow(/before start/)
    expect(() => serialRangeSize('PHX-{1..2}{3..4}')).toThrow(AppError)
    expect(() => serialRangeSize('PHX-1')).toThrow(AppError)
    expect(() => serialRangeSize('P{0..99999999}')).toThrow(/more than/)
  })
})
