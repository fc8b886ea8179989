import { describe, expect, it } from 'vitest'
import { CTX, location } from '../../../test/rules-spec.js'
import type { FieldIssue } from '../../core/errors.js'
import { serialRuleOf } from '../catalog/serial.rules.js'
import {
  decideReceiptHeader,
  decideReceiptLine,
  decideReceivedSerial,
  gtinCandidate,
  otherSkuIssue,
  productBarcodeIssue,
  type ReceiptLineInput,
  type ReceiptSku,
} from './receive.rules.js'

const dock = location('DOCK')
const phone: ReceiptSku = {
  id: 'sku-phx',
  code: 'PHX',
  tracking: 'serial',
  costMinor: 40000,
  identifiers: [{ name: 'imei', isUnique: true, pattern: '\\d{15}' }],
}
const milk: ReceiptSku = { ...phone, id: 'sku-milk', code: 'MILK', tracking: 'lot', identifiers: [] }
const cable: ReceiptSku = { ...phone, id: 'sku-cbl', code: 'CABLE', tracking: 'quantity', identifiers: [] }

const line = (sku: ReceiptSku, input: Partial<ReceiptLineInput>) => {
  const issues: FieldIssue[] = []
  const plan = decideReceiptLine({ hasUnits: false, ...input }, sku, 'lines[0]', { add: (i) => issues.push(i) })
  return { plan, issues: issues.map((i) => `${i.field}: ${i.message}`) }
}

describe('a receipt', () => {
  it('goes into a location the actor may act at, at the time it names, referenced by the supplier note', () => {
    const plan = decideReceiptHeader(
      { supplierRef: 'DN-7', po: 'PO-1', receivedAt: '2026-02-01T09:00:00Z' },
      { supplier: { id: 'sup-1' }, location: dock },
      CTX,
    )
    expect(plan).toMatchObject({ supplierId: 'sup-1', reference: 'DN-7', occurredAt: '2026-02-01T09:00:00.000Z' })
    expect(() =>
      decideReceiptHeader({}, { supplier: { id: 'sup-1' }, location: dock }, { ...CTX, locationScope: ['/STORE-A/'] }),
    ).toThrow(/may not act at \/DOCK\//)
  })

  it('receives serials of a serial-tracked SKU at its cost, or at the cost the line names', () => {
    expect(line(phone, { hasUnits: true })).toEqual({
      plan: { kind: 'serials', lot: undefined, costMinor: 40000 },
      issues: [],
    })
    expect(line(phone, { hasUnits: true, unitCost: 399.99 }).plan.costMinor).toBe(39999)
  })

  it('refuses each line that does not fit its SKU, naming the field', () => {
    expect(line(phone, { quantity: 5 }).issues).toEqual([
      'lines[0].quantity: PHX is serial-tracked: list serials, not a quantity',
      'lines[0]: PHX is serial-tracked: give serials, units, range or csv',
    ])
    expect(line(milk, { quantity: 5 }).issues).toEqual(['lines[0].lot: MILK is lot-tracked: the lot is required'])
    expect(line(cable, { quantity: 5, lot: 'L1' }).issues).toEqual([
      'lines[0].lot: CABLE is quantity-tracked: it has no lots',
    ])
    expect(line(cable, { hasUnits: true }).issues).toEqual([
      'lines[0]: CABLE is quantity-tracked: give a quantity, not serials',
    ])
    expect(line(cable, {}).issues).toEqual(['lines[0].quantity: CABLE needs a quantity'])
    expect(line(milk, { quantity: 5, lot: 'L1' })).toEqual({
      plan: { kind: 'quantity', lot: 'L1', costMinor: 40000 },
      issues: [],
    })
  })

  it('normalises each serial and checks its identifiers against the SKU', () => {
    const rule = serialRuleOf({ serialCase: 'upper', serialPattern: null })
    const serial = (raw: Parameters<typeof decideReceivedSerial>[0]) =>
      decideReceivedSerial(raw, phone, rule, 'lines[0]')
    expect(serial({ serial: ' ab-1 ', row: 1, identifiers: { imei: '356938035643809' } })).toEqual({
      serial: 'AB-1',
      attributes: '{"imei":"356938035643809"}',
    })
    expect(serial({ serial: 'AB-2', row: 2, identifiers: { imei: '12' } })).toMatchObject({
      row: 2,
      field: 'lines[0].imei',
      message: 'does not match \\d{15}',
    })
    expect(serial({ serial: 'AB-3', row: 3, identifiers: { mac: 'x' } })).toMatchObject({
      message: 'PHX declares no identifier "mac"',
    })
    expect(serial({ serial: 'AB 4', row: 4 })).toMatchObject({ row: 4, field: 'lines[0].serial', value: 'AB 4' })
  })
  it(
    'takes a serial that is a GTIN with a valid check digit for a product barcode, ' + 'and refuses it naming the SKU',
    () => {
      expect(gtinCandidate('9506000134352')).toBe('09506000134352')
      expect(gtinCandidate('9506000134353')).toBeUndefined()
      expect(
        productBarcodeIssue({ serial: '9506000134352', row: 3, raw: '9506000134352' }, 'lines[1]', { code: 'PHX' }),
      ).toEqual({
        row: 3,
        field: 'lines[1].serial',
        value: '9506000134352',
        message: '9506000134352 is the product barcode (GTIN) of SKU PHX, not a unit serial: scan the serial label',
      })
    },
  )

  it("refuses another SKU's serial only when either SKU keeps serials unique across SKUs", () => {
    const row = { serial: 'DEV-1', row: 2, raw: 'dev-1' }
    const tab = {
      serial: 'DEV-1',
      skuCode: 'TAB',
      serialsUniqueAcrossSkus: false,
      status: 'in_stock',
      locationCode: 'WH',
    }
    expect(otherSkuIssue(row, 'lines[0]', { code: 'PHX', serialsUniqueAcrossSkus: false }, tab)).toBeUndefined()
    expect(otherSkuIssue(row, 'lines[0]', { code: 'PHX', serialsUniqueAcrossSkus: true }, tab)?.message).toBe(
      'DEV-1 is already a unit of SKU TAB (in stock at WH); PHX keeps its serials unique across all SKUs',
    )
    const strictTab = { ...tab, serialsUniqueAcrossSkus: true, status: 'sold', locationCode: null }
    expect(otherSkuIssue(row, 'lines[0]', { code: 'PHX', serialsUniqueAcrossSkus: false }, strictTab)).toMatchObject({
      row: 2,
      value: 'dev-1',
      message: 'DEV-1 is already a unit of SKU TAB (sold); TAB keeps its serials unique across all SKUs',
    })
  })
})
