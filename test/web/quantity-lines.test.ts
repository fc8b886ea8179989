import { describe, expect, it } from 'vitest'
import {
  emptyLine,
  type QuantityLine,
  quantitiesForApi,
  quantityLinesProblem,
  receiptLinesForApi,
  submitLabel,
  wantsLot,
} from '../../web/src/quantity-lines.js'
import type { Sku } from '../../web/src/types.js'

const sku = (code: string, tracking: Sku['tracking']): Sku => ({
  id: code,
  code,
  name: code,
  gtin: null,
  tracking,
  cost: 2,
  price: 9,
  warrantyMonths: 0,
  returnWindowDays: 30,
  serialPattern: null,
  serialExample: null,
  serialFormat: null,
  serialCase: 'preserve',
  allowNegative: false,
  identifiers: [],
  serialsUniqueAcrossSkus: false,
})
const SKUS = [sku('PHX', 'serial'), sku('CABLE', 'quantity'), sku('CREAM', 'lot')]
const line = (l: Partial<QuantityLine>): QuantityLine => ({ ...emptyLine(), ...l })

describe('quantity lines: checks before sending', () => {
  it('ignores untouched blank lines and accepts complete ones', () => {
    expect(
      quantityLinesProblem(
        [
          emptyLine(),
          line({ sku: 'CABLE', quantity: '3', location: 'WH' }),
          line({ sku: 'CREAM', lot: 'L1', quantity: '1', location: 'WH' }),
        ],
        SKUS,
        true,
      ),
    ).toBeUndefined()
  })

  it('names the line as numbered on screen, blank lines included', () => {
    expect(quantityLinesProblem([emptyLine(), line({ sku: 'CREAM', quantity: '2' })], SKUS, false)).toBe(
      'Quantity line 2: CREAM is lot-tracked; give the lot',
    )
  })

  it(
    'refuses a serial-tracked SKU, a missing SKU, a quantity that is not a positive whole number, ' +
      'a missing location',
    () => {
      expect(quantityLinesProblem([line({ sku: 'PHX', quantity: '1' })], SKUS, false)).toBe(
        'Quantity line 1: PHX is serial-tracked; scan its units instead',
      )
      expect(quantityLinesProblem([line({ quantity: '1' })], SKUS, false)).toBe('Quantity line 1: give the SKU')
      for (const quantity of ['', '0', '-2', '1.5', 'x'])
        expect(quantityLinesProblem([line({ sku: 'CABLE', quantity })], SKUS, false), quantity).toBe(
          'Quantity line 1: the quantity must be a whole number above 0',
        )
      expect(quantityLinesProblem([line({ sku: 'CABLE', quantity: '1' })], SKUS, true)).toBe(
        'Quantity line 1: give the location',
      )
      expect(quantityLinesProblem([line({ sku: 'CABLE', quantity: '1', cost: '-1' })], SKUS, false)).toBe(
        'Quantity line 1: the cost must be a number, 0 or more',
      )
    },
  )

  it('leaves a SKU the page does not know to the server, and asks it for a lot', () => {
    expect(quantityLinesProblem([line({ sku: 'NEW-SKU', quantity: '4' })], SKUS, false)).toBeUndefined()
    expect(wantsLot('NEW-SKU', SKUS)).toBe(true)
    expect(wantsLot('CREAM', SKUS)).toBe(true)
    expect(wantsLot('CABLE', SKUS)).toBe(false)
    expect(wantsLot('', SKUS)).toBe(false)
  })
})

describe('quantity lines: what is sent', () => {
  const lines = [
    line({ sku: ' CABLE ', quantity: '3', location: 'WH', cost: '1.5' }),
    emptyLine(),
    line({ sku: 'CREAM', lot: 'L1', quantity: '2', location: 'STORE' }),
  ]

  it('sends each operation its location under the field name its API takes', () => {
    expect(quantitiesForApi(lines, 'from')).toEqual([
      { sku: 'CABLE', quantity: 3, from: 'WH' },
      { sku: 'CREAM', lot: 'L1', quantity: 2, from: 'STORE' },
    ])
    expect(quantitiesForApi(lines, 'location')[1]).toEqual({ sku: 'CREAM', lot: 'L1', quantity: 2, location: 'STORE' })
    expect(quantitiesForApi(lines)).toEqual([
      { sku: 'CABLE', quantity: 3 },
      { sku: 'CREAM', lot: 'L1', quantity: 2 },
    ])
  })

  it('sends receipt lines with their cost when one was given', () => {
    expect(receiptLinesForApi(lines)).toEqual([
      { sku: 'CABLE', quantity: 3, unitCost: 1.5 },
      { sku: 'CREAM', lot: 'L1', quantity: 2 },
    ])
  })

  it('labels the submit button with units and items', () => {
    expect(submitLabel('Sell', 1, [])).toBe('Sell 1 unit')
    expect(submitLabel('Sell', 2, [emptyLine()])).toBe('Sell 2 units')
    expect(submitLabel('Sell', 1, lines)).toBe('Sell 1 unit and 5 items')
    expect(submitLabel('Receive', 0, [line({ sku: 'CABLE', quantity: '1' })])).toBe('Receive 1 item')
  })
})
