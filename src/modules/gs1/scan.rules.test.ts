import { describe, expect, it } from 'vitest'
import {
  describeScan,
  gtinOfCode,
  isImei,
  isLuhnValid,
  isValidGtin,
  lookupCodes,
  parseRawAis,
  parseScan,
  productGtinOf,
} from './index.js'

const GS = '\x1d'
const GTIN = '09506000134352' // GS1's example GTIN, valid check digit

describe('parseScan: plain codes', () => {
  it('takes a serial as it is, trimmed of whitespace and line ends', () => {
    expect(parseScan('  PHX-0001\r\n')).toEqual({ kind: 'plain', raw: '  PHX-0001\r\n', code: 'PHX-0001' })
  })
  it('takes an IMEI (15 digits) as a plain code', () => {
    expect(parseScan('356938035643809')).toMatchObject({ kind: 'plain', code: '356938035643809' })
  })
  it('refuses an empty scan', () => {
    expect(parseScan('   ')).toMatchObject({ kind: 'invalid', message: 'the scan is empty' })
  })
  it('names a control character instead of looking it up', () => {
    expect(parseScan('AB\x07C')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('Ctrl+G') })
  })
  it('strips a non-GS1 symbology identifier (Code 128 ]C0)', () => {
    expect(parseScan(']C0SN-77')).toMatchObject({ kind: 'plain', code: 'SN-77' })
  })
  it('keeps a 16-digit serial starting with 01 whose "GTIN" check digit is wrong as a plain code', () => {
    expect(parseScan('0109506000134353')).toMatchObject({ kind: 'plain' })
  })
})

describe('parseScan: GS1 element strings', () => {
  it('reads GTIN and serial', () => {
    const s = parseScan(`(01)${GTIN}(21)ABC123`)
    expect(s).toMatchObject({ kind: 'gs1', gtin: GTIN, serial: 'ABC123', code: 'ABC123' })
    expect(lookupCodes(s)).toEqual(['ABC123'])
    expect(describeScan(s)).toBe(`GTIN ${GTIN} serial ABC123`)
  })
  it('reads lot and expiry too, in any order', () => {
    expect(parseScan(`(01)${GTIN}(17)271231(10)LOT-7(21)X1`)).toMatchObject({
      gtin: GTIN,
      serial: 'X1',
      lot: 'LOT-7',
      expiry: '2027-12-31',
    })
  })
  it('treats expiry day 00 as the last day of the month', () => {
    expect(parseScan(`(01)${GTIN}(17)280200(21)X1`)).toMatchObject({ expiry: '2028-02-29' })
  })
  it('refuses a GTIN with a wrong check digit, naming it', () => {
    expect(parseScan('(01)09506000134353(21)ABC')).toMatchObject({
      kind: 'invalid',
      message: 'GTIN 09506000134353 has a wrong check digit',
    })
  })
  it('refuses a repeated AI and garbage after the last AI', () => {
    expect(parseScan(`(21)A(21)B`)).toMatchObject({
      kind: 'invalid',
      message: 'AI (21) appears twice with different values',
    })
    expect(parseScan(`(01)${GTIN}(21)`)).toMatchObject({ kind: 'invalid', message: 'AI (21) is empty' })
  })
  it('says when a product barcode carries no serial', () => {
    const s = parseScan(`(01)${GTIN}`)
    expect(s).toMatchObject({ kind: 'gs1', gtin: GTIN, code: undefined })
    expect(lookupCodes(s)).toEqual([])
  })
})

describe('parseScan: raw GS1 data from a scanner', () => {
  it('reads FNC1-separated data after a GS1-128 symbology identifier', () => {
    expect(parseScan(`]C101${GTIN}21SER-1${GS}10LOT9`)).toMatchObject({
      kind: 'gs1',
      gtin: GTIN,
      serial: 'SER-1',
      lot: 'LOT9',
    })
  })
  it('reads GS1 DataMatrix (]d2) and a leading FNC1', () => {
    expect(parseScan(`]d2${GS}01${GTIN}17270101${GS}21Q-9`)).toMatchObject({
      gtin: GTIN,
      expiry: '2027-01-01',
      serial: 'Q-9',
    })
  })
  it('reads data with GS separators but no symbology identifier', () => {
    expect(parseScan(`01${GTIN}21ABC${GS}10L1`)).toMatchObject({ gtin: GTIN, serial: 'ABC', lot: 'L1' })
  })
  it('reads data whose GS was dropped when it starts with a valid AI 01, and keeps the raw scan as a fallback', () => {
    const s = parseScan(`01${GTIN}21ABC123`)
    expect(s).toMatchObject({ kind: 'gs1', serial: 'ABC123', fallback: `01${GTIN}21ABC123` })
    expect(lookupCodes(s)).toEqual(['ABC123', `01${GTIN}21ABC123`])
  })
  it('reads 4-digit fixed AIs (net weight 3103) without a separator after them', () => {
    expect(parseRawAis(`01${GTIN}310300152521S1`)).toEqual({
      ok: true,
      ais: { '01': GTIN, '3103': '001525', '21': 'S1' },
    })
  })
  it('refuses an unknown AI and a too-long variable field', () => {
    expect(parseScan(`]C101${GTIN}77X`)).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('unknown GS1 application identifier'),
    })
    expect(parseScan(`]C121${'A'.repeat(21)}`)).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('longer than 20'),
    })
  })
  it('refuses a fixed-length AI cut short', () => {
    expect(parseScan(`]C1010950600013`)).toMatchObject({
      kind: 'invalid',
      message: 'AI (01) needs 14 characters, got 10',
    })
  })
})

describe('parseScan: GS1 Digital Link', () => {
  it('reads GTIN and serial from the path, lot from a path segment', () => {
    expect(parseScan(`https://id.gs1.org/01/${GTIN}/10/L%2F1/21/S%2D99`)).toMatchObject({
      kind: 'gs1',
      gtin: GTIN,
      lot: 'L/1',
      serial: 'S-99',
    })
  })
  it('takes any other URL as a plain code', () => {
    expect(parseScan('https://example.com/a/b')).toMatchObject({ kind: 'plain' })
  })
})

describe('isValidGtin', () => {
  it('checks GTIN-8, -12, -13 and -14', () => {
    for (const g of ['96385074', '036000291452', '4006381333931', GTIN]) expect(isValidGtin(g)).toBe(true)
    for (const g of ['96385075', '4006381333932', '123', 'ABCDEFGHIJKLM']) expect(isValidGtin(g)).toBe(false)
  })
})

describe('product barcodes and IMEIs', () => {
  it('reads an EAN-13, a GTIN-14, a UPC-12 and a GTIN-8 with valid check digits as GTIN-14', () => {
    expect(gtinOfCode('9506000134352')).toBe(GTIN)
    expect(gtinOfCode(` ${GTIN} `)).toBe(GTIN)
    expect(gtinOfCode('036000291452')).toBe('00036000291452')
    expect(gtinOfCode('96385074')).toBe('00000096385074')
  })
  it('does not take a wrong check digit, other lengths or letters for a GTIN', () => {
    expect(gtinOfCode('9506000134353')).toBeUndefined()
    expect(gtinOfCode('356938035643809')).toBeUndefined()
    expect(gtinOfCode('PHX-0001')).toBeUndefined()
  })
  it('finds the product GTIN of a plain GTIN scan and of a GS1 barcode without a serial, not of a unit barcode', () => {
    expect(productGtinOf(parseScan('9506000134352'))).toBe(GTIN)
    expect(productGtinOf(parseScan(`(01)${GTIN}`))).toBe(GTIN)
    expect(productGtinOf(parseScan(`(01)${GTIN}(21)ABC`))).toBeUndefined()
    expect(productGtinOf(parseScan('PHX-0001'))).toBeUndefined()
  })
  it('knows an IMEI by its 15 digits and Luhn check digit', () => {
    expect(isImei('356938035643809')).toBe(true)
    expect(isImei('356938035643808')).toBe(false)
    expect(isImei('35693803564380')).toBe(false)
    expect(isLuhnValid('79927398713')).toBe(true)
  })
})

describe('parseScan: more carriers', () => {
  it('reads an EPC URN (SGTIN) into GTIN and serial', () => {
    expect(parseScan('urn:epc:id:sgtin:0614141.107346.2017')).toMatchObject({
      kind: 'gs1',
      gtin: '10614141073464',
      serial: '2017',
      code: '2017',
    })
    expect(parseScan('urn:epc:id:grai:0614141.12345.400')).toMatchObject({ kind: 'invalid' })
  })
  it('reads an SSCC (a case or pallet) and an IMEI (AI 8040)', () => {
    expect(parseScan('(00)106141412345678908')).toMatchObject({ sscc: '106141412345678908', code: undefined })
    expect(parseScan(`]d2${GS}01${GTIN}21S1${GS}8040356938035643809`)).toMatchObject({
      serial: 'S1',
      imei: '356938035643809',
    })
    expect(describeScan(parseScan('(00)106141412345678908'))).toBe('SSCC 106141412345678908')
  })
  it('reads a Digital Link behind a plain QR identifier (]Q1) and refuses one with a bad check digit', () => {
    expect(parseScan(`]Q1https://id.gs1.org/01/${GTIN}/21/Z9`)).toMatchObject({ gtin: GTIN, serial: 'Z9' })
    expect(parseScan('https://id.gs1.org/01/09506000134353/21/Z9')).toMatchObject({
      kind: 'invalid',
      message: 'GTIN 09506000134353 has a wrong check digit',
    })
  })
  it('checks AI values by the GS1 Syntax Dictionary (a month 13 expiry, a space in a serial)', () => {
    expect(parseScan(`(01)${GTIN}(17)271301`)).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('(17)'),
    })
    expect(parseScan(`(01)${GTIN}(21)A B`)).toMatchObject({ kind: 'invalid' })
  })
})

describe('parseScan: the Syntax Dictionary’s AI combination rules', () => {
  it('refuses an AI without the AIs it requires (req), naming them', () => {
    expect(parseScan('(21)ABC123')).toMatchObject({ kind: 'invalid', message: 'AI (21) needs (01) or (03) or (8006)' })
    expect(parseScan(']d2\u001d21ABC123')).toMatchObject({ kind: 'invalid', message: /AI \(21\) needs \(01\)/ })
  })

  it('refuses AIs that exclude each other (ex), naming both', () => {
    expect(parseScan('(01)09506000134352(255)9506000134352')).toMatchObject({
      kind: 'invalid',
      message: 'AI (01) cannot go with (255)',
    })
  })

  it('takes a GTIN with its serial, lot and expiry', () => {
    expect(parseScan('(01)09506000134352(17)261231(10)L1(21)ABC')).toMatchObject({ kind: 'gs1', serial: 'ABC' })
  })
})
