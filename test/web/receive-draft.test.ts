import { describe, expect, it } from 'vitest'
import { emptyLine, type QuantityLine } from '../../web/src/quantity-lines.js'
import {
  emptyHeader,
  existingRefusal,
  identifierTaken,
  issueIndex,
  manifestOf,
  manifestTally,
  nextHeader,
  otherSkuRefusal,
  type ReceiptHeader,
  type ReceiptItem,
  receiptItem,
  receiptProblem,
  receiptRequest,
  receiptScan,
  serialSkuOf,
} from '../../web/src/receive-draft.js'
import type { Sku, Unit } from '../../web/src/types.js'

const GTIN = '09506000134352' // GS1's example GTIN, valid check digit
const sku = (code: string, s: Partial<Sku> = {}): Sku => ({
  id: code,
  code,
  name: code,
  gtin: null,
  tracking: 'serial',
  cost: 400,
  price: 799,
  warrantyMonths: 24,
  returnWindowDays: 30,
  serialPattern: null,
  serialExample: null,
  serialFormat: null,
  serialCase: 'upper',
  allowNegative: false,
  identifiers: [],
  serialsUniqueAcrossSkus: false,
  ...s,
})
const PHX = sku('PHX', { gtin: GTIN })
const TAB = sku('TAB', { gtin: '4006381333931', serialPattern: 'T-\\d{3}' })
const CABLE = sku('CABLE', { tracking: 'quantity' })
const SKUS = [PHX, TAB, CABLE]
const header = (h: Partial<ReceiptHeader> = {}): ReceiptHeader => ({
  ...emptyHeader(),
  supplier: 'ACME',
  location: 'WH',
  ...h,
})
const item = (serial: string, skuCode = 'PHX', identifiers?: Record<string, string>): ReceiptItem => ({
  key: `${skuCode}|${serial}`,
  serial,
  sku: skuCode,
  ...(identifiers && { identifiers }),
})
const line = (l: Partial<QuantityLine>): QuantityLine => ({ ...emptyLine(), ...l })

describe('receive draft: the SKU the scans are for', () => {
  it('finds a serial-tracked SKU by its code, trimmed', () => {
    expect(serialSkuOf(' PHX ', SKUS)).toEqual({ sku: PHX })
  })
  it('says when the code names a SKU without serials, or none', () => {
    expect(serialSkuOf('CABLE', SKUS)).toEqual({ problem: 'CABLE is not serial-tracked' })
    expect(serialSkuOf('NOPE', SKUS)).toEqual({ problem: 'no SKU NOPE' })
  })
  it('says nothing while no code is typed', () => {
    expect(serialSkuOf('  ', SKUS)).toEqual({})
  })
})

describe('receive draft: each scan before it joins the batch', () => {
  it('refuses every scan until a serial-tracked SKU is chosen', () => {
    expect(receiptScan('SN-1', undefined, SKUS)).toEqual({ refuse: 'Choose a serial-tracked SKU first' })
  })
  it('normalises the serial as the SKU stores it and keys it by SKU and serial', () => {
    expect(receiptScan(' sn-1 ', PHX, SKUS)).toEqual({ key: 'PHX|SN-1', serial: 'SN-1' })
  })
  it('takes the serial of a GS1 barcode whose GTIN is the SKU', () => {
    expect(receiptScan(`(01)${GTIN}(21)ab7`, PHX, SKUS)).toEqual({ key: 'PHX|AB7', serial: 'AB7' })
  })
  it('refuses a GS1 barcode of another SKU, naming it, and one without a serial', () => {
    expect(receiptScan(`(01)${GTIN}(21)T-001`, TAB, SKUS)).toEqual({
      refuse: `T-001: GTIN ${GTIN} is SKU PHX, not TAB`,
      wrongSku: true,
    })
    expect(receiptScan('(01)09506000134369', PHX, SKUS)).toEqual({
      refuse: 'GTIN 09506000134369 without a serial: scan the serial barcode',
    })
  })
  it(
    "refuses a SKU's product barcode (EAN-13, GTIN-14, GS1 without serial) as a serial, " +
      "another SKU's as wrong SKU",
    () => {
      expect(receiptScan('9506000134352', PHX, SKUS)).toEqual({
        refuse: '9506000134352 is the product barcode of PHX (PHX), not a serial: scan the serial label',
      })
      expect(receiptScan(`(01)${GTIN}`, PHX, SKUS)).toEqual({
        refuse: `GTIN ${GTIN} is the product barcode of PHX (PHX), not a serial: scan the serial label`,
      })
      expect(receiptScan('04006381333931', PHX, SKUS)).toEqual({
        refuse: '04006381333931 is the product barcode of another SKU, TAB (TAB), not of PHX',
        wrongSku: true,
      })
      // A 13-digit serial whose last digit is no GTIN check digit is a serial.
      expect(receiptScan('9506000134353', PHX, SKUS)).toEqual({ key: 'PHX|9506000134353', serial: '9506000134353' })
    },
  )
  it('reads an IMEI (15 digits, Luhn) as the IMEI on a SKU that declares one, and asks for it after a serial', () => {
    const PHONE = sku('PHONE', { identifiers: [{ name: 'imei', isUnique: true }] })
    expect(receiptScan('356938035643809', PHONE, SKUS)).toEqual({ identifier: 'imei', value: '356938035643809' })
    expect(receiptScan('356938035643809', PHX, SKUS)).toEqual({
      key: 'PHX|356938035643809',
      serial: '356938035643809',
    })
    const waiting = { name: 'imei', serial: 'P-1' }
    expect(receiptScan('356938035643809', PHONE, SKUS, waiting)).toEqual({
      identifier: 'imei',
      value: '356938035643809',
    })
    expect(receiptScan('P-2', PHONE, SKUS, waiting)).toEqual({
      refuse:
        'P-2 is not an IMEI (15 digits with a check digit): ' +
        'scan the IMEI of P-1, or press Escape to receive it without one',
    })
    expect(receiptScan('356938035643808', PHONE, SKUS, waiting)).toMatchObject({
      refuse: expect.stringContaining('356938035643808 is not an IMEI'),
    })
  })
  it('asks to confirm a serial another SKU has, and refuses it when either SKU keeps serials unique', () => {
    const tab = { serial: 'SN-1', sku: { code: 'TAB', name: 'Tablet' }, status: 'in_stock', location: { code: 'WH' } }
    const found = [tab as Unit]
    expect(otherSkuRefusal('SN-1', PHX, SKUS, found)).toEqual({
      isStrict: false,
      otherSku: 'TAB',
      message:
        'SN-1 is already a unit of SKU TAB (Tablet, in stock at WH): scan it again to receive it as another PHX unit',
    })
    expect(otherSkuRefusal('SN-1', { ...PHX, serialsUniqueAcrossSkus: true }, SKUS, found)).toMatchObject({
      isStrict: true,
      message: 'SN-1 is already a unit of SKU TAB (in stock at WH); PHX keeps its serials unique across all SKUs',
    })
    expect(otherSkuRefusal('SN-1', TAB, SKUS, found)).toBeUndefined()
  })
  it('refuses an IMEI already on a unit of the receipt or of the ledger', () => {
    const PHONE = sku('PHONE', { identifiers: [{ name: 'imei', isUnique: true }] })
    const id = { identifier: 'imei', value: '356938035643809' }
    expect(identifierTaken(id, PHONE, [item('P-1', 'PHONE', { imei: id.value })], [])).toBe(
      'IMEI 356938035643809 is already on P-1 in this receipt',
    )
    const held = { serial: 'OLD', sku: { code: 'PHONE' }, identifiers: { imei: id.value } } as unknown as Unit
    expect(identifierTaken(id, PHONE, [], [held])).toBe('IMEI 356938035643809 is already on unit OLD (PHONE)')
    expect(identifierTaken(id, PHONE, [], [])).toBeUndefined()
  })
  it('refuses a serial outside the SKU format and an unreadable scan', () => {
    expect(receiptScan('X-1', TAB, SKUS)).toEqual({
      refuse: "X-1: serial does not match the SKU's format: “T-” then 3 digits, for example T-001",
    })
    expect(receiptScan('(01)09506000134353(21)A', PHX, SKUS)).toEqual({
      refuse: '(01)09506000134353(21)A: GTIN 09506000134353 has a wrong check digit',
    })
  })
  it('refuses a serial the ledger already has for the same SKU, and not one of another SKU', () => {
    const unit = { serial: 'SN-1', sku: { code: 'PHX' }, status: 'in_stock', receipt: { number: 'R-1' } } as Unit
    expect(existingRefusal('SN-1', 'PHX', [unit])).toBe('SN-1 already exists: in stock, received on R-1')
    expect(existingRefusal('SN-1', 'TAB', [unit])).toBeUndefined()
  })
})

describe('receive draft: the manifest', () => {
  const expected = manifestOf('m-1\nM-2, m-3\n\n', PHX)
  it('normalises the pasted serials as the SKU stores them', () => {
    expect([...expected]).toEqual(['M-1', 'M-2', 'M-3'])
    expect(manifestOf('m-1', undefined).size).toBe(0)
  })
  it('marks a serial not on the manifest, and none when there is no manifest', () => {
    const scan = { key: 'PHX|M-9', serial: 'M-9' }
    expect(receiptItem(scan, 'PHX', expected)).toMatchObject({ state: 'warn', note: 'not on the manifest' })
    expect(receiptItem(scan, 'PHX', new Set())).toMatchObject({ state: 'ok', note: undefined })
  })
  it('tallies the expected serials not scanned and the scanned ones not expected', () => {
    const items = [item('M-1'), item('M-9')]
    expect(manifestTally(expected, items)).toEqual({ missing: ['M-2', 'M-3'], unexpected: [items[1]] })
    expect(manifestTally(new Set(), items)).toEqual({ missing: [], unexpected: [] })
  })
})

describe('receive draft: before sending', () => {
  it('needs a supplier and a location', () => {
    expect(receiptProblem(header({ location: ' ' }), [item('A')], [], SKUS)).toBe('Supplier and location are required')
  })
  it('needs a serial or a filled quantity line', () => {
    expect(receiptProblem(header(), [], [emptyLine()], SKUS)).toBe(
      'Scan at least one serial or fill in a quantity line',
    )
  })
  it('checks the quantity lines', () => {
    expect(receiptProblem(header(), [], [line({ sku: 'PHX', quantity: '2' })], SKUS)).toBe(
      'Quantity line 1: PHX is serial-tracked; scan its units instead',
    )
  })
  it('lets a complete receipt go', () => {
    expect(receiptProblem(header(), [item('A')], [emptyLine()], SKUS)).toBeUndefined()
  })
})

describe('receive draft: the request', () => {
  it('sends one line per SKU in order of first scan, then the counted lines, leaving out empty fields', () => {
    const items = [item('A1'), item('T-001', 'TAB'), item('A2')]
    const { body } = receiptRequest(header({ lot: ' L7 ', unitCost: '410.5' }), items, [
      line({ sku: 'CABLE', quantity: '3' }),
    ])
    expect(body).toEqual({
      supplier: 'ACME',
      location: 'WH',
      lines: [
        { sku: 'PHX', lot: 'L7', unitCost: 410.5, serials: ['A1', 'A2'] },
        { sku: 'TAB', lot: 'L7', unitCost: 410.5, serials: ['T-001'] },
        { sku: 'CABLE', quantity: 3 },
      ],
    })
  })
  it('sends units with their identifiers when a CSV gave some, the header references and the manifest', () => {
    const { body } = receiptRequest(
      header({ number: ' R-9 ', supplierRef: 'DN-1', po: 'PO-2' }),
      [item('A1', 'PHX', { imei: '356938035643809' }), item('A2')],
      [],
      { sku: 'PHX', serials: new Set(['A1', 'A3']) },
    )
    expect(body).toEqual({
      supplier: 'ACME',
      location: 'WH',
      number: 'R-9',
      supplierRef: 'DN-1',
      po: 'PO-2',
      lines: [{ sku: 'PHX', units: [{ serial: 'A1', identifiers: { imei: '356938035643809' } }, { serial: 'A2' }] }],
      expected: [{ sku: 'PHX', serials: ['A1', 'A3'] }],
    })
  })
  it('finds the batch row a refusal names by line and row', () => {
    const items = [item('A1'), item('T-001', 'TAB'), item('A2')]
    const { groups } = receiptRequest(header(), items, [])
    expect(issueIndex({ field: 'lines[0].serials', row: 2, message: 'x' }, groups, items)).toBe(2)
    expect(issueIndex({ field: 'lines[1].serials', row: 1, message: 'x' }, groups, items)).toBe(1)
    expect(issueIndex({ field: 'lines[0].serials', message: 'x' }, groups, items)).toBeUndefined()
    expect(issueIndex({ field: 'lines[5].serials', row: 1, message: 'x' }, groups, items)).toBeUndefined()
  })
})

describe('receive draft: the next receipt', () => {
  it('keeps supplier, location, SKU, lot and cost, and clears the number and references', () => {
    const h = header({ skuCode: 'PHX', number: 'R-1', supplierRef: 'DN', po: 'PO', lot: 'L', unitCost: '1' })
    expect(nextHeader(h)).toEqual({ ...h, supplier: '', number: '', supplierRef: '', po: '' })
  })
})
