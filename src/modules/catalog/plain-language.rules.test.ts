import { describe, expect, it } from 'vitest'
import { describeCharacter, describeFirstBad, describeSerialFormat, exampleSerial } from './plain-language.rules.js'
import { normalizeSerial, serialRuleOf } from './serial.rules.js'

describe('characters in plain language', () => {
  it('names a look-alike letter by its script and the Latin letter it passes for', () => {
    expect(describeCharacter('А')).toBe("a Cyrillic 'А' that looks like a Latin 'A'")
    expect(describeCharacter('о')).toBe("a Cyrillic 'о' that looks like a Latin 'o'")
    expect(describeCharacter('Ο')).toBe("a Greek 'Ο' that looks like a Latin 'O'")
  })
  it('names a control character by the key or scanner setting that sends it', () => {
    expect(describeCharacter('\t')).toBe('a Tab (the Tab key, or a scanner whose suffix is set to Tab)')
    expect(describeCharacter('\n')).toMatch(/^a line break \(Enter inside the code/)
    expect(describeCharacter('\x1d')).toMatch(/GS1 group separator \(FNC1\).*scanner/)
    expect(describeCharacter('\x07')).toBe(
      'a control character (Ctrl+G, sent by that key or by a scanner set to send control codes)',
    )
    expect(describeCharacter('\x04')).toMatch(/end-of-transmission.*scanner suffix/)
  })
  it('names invisible and typographic characters, and says the code point of anything else', () => {
    expect(describeCharacter('\u200b')).toBe('an invisible zero-width space')
    expect(describeCharacter('\u00a0')).toBe('a non-breaking space')
    expect(describeCharacter('–')).toMatch(/^an en dash '–' instead of '-'/)
    expect(describeCharacter('Ａ')).toBe("a full-width 'Ａ' instead of 'A' (an East Asian input mode is on)")
    expect(describeCharacter('é')).toBe("the letter 'é' (U+00E9), which is not plain ASCII")
    expect(describeCharacter('€')).toBe("the character '€' (U+20AC), which is not plain ASCII")
  })
  it('finds the first bad character and its position', () => {
    expect(describeFirstBad('AB\tC', (c) => c !== '\t')).toMatch(/^a Tab .* at position 3$/)
    expect(describeFirstBad('ABC', () => true)).toBeUndefined()
  })
})

describe('serial formats in plain language', () => {
  it('words a simple pattern and makes an example that matches it', () => {
    expect(describeSerialFormat('PHX-\\d{4}')).toBe('“PHX-” then 4 digits, for example PHX-0001')
    expect(describeSerialFormat('[A-Z0-9]{6,24}')).toBe('6 to 24 capital letters or digits, for example AAAAAA')
    expect(describeSerialFormat('SN[0-9]+')).toBe('“SN” then one or more digits, for example SN1')
    expect(describeSerialFormat('[A-F0-9]{12}')).toBe('12 hexadecimal digits (0-9, A-F), for example AAAAAAAAAAAA')
    expect(describeSerialFormat('[A-Z]{2}-?[0-9]{3}')).toBe(
      '2 capital letters then an optional “-” then 3 digits, for example AA001',
    )
  })
  it("uses the SKU's own example, and shows a pattern too complex to word as it is", () => {
    expect(describeSerialFormat('PHX-\\d{4}', 'PHX-2026')).toBe('“PHX-” then 4 digits, for example PHX-2026')
    expect(describeSerialFormat('(AB|CD)\\d+')).toBe('the pattern (AB|CD)\\d+')
    expect(describeSerialFormat('(AB|CD)\\d+', 'AB1')).toBe('the pattern (AB|CD)\\d+, for example AB1')
    expect(exampleSerial('(AB|CD)\\d+')).toBeUndefined()
  })
  it('every generated example matches its own pattern', () => {
    for (const p of ['PHX-\\d{4}', '[A-Z0-9]{6,24}', 'SN[0-9]+', '[a-z]{3}\\.\\d{2,}', 'X[0-9A-Z_-]{4}', 'A.B?C*'])
      expect(new RegExp(`^(?:${p})$`).test(exampleSerial(p)!), p).toBe(true)
  })
  it("is what a refused serial says about the SKU's format", () => {
    const rule = serialRuleOf({ serialCase: 'upper', serialPattern: 'PHX-\\d{4}', serialExample: 'PHX-0042' })
    expect(normalizeSerial('PHX-12', rule)).toEqual({
      ok: false,
      reason: "serial does not match the SKU's format: “PHX-” then 4 digits, for example PHX-0042",
    })
  })
})
