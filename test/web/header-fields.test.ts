import { describe, expect, it } from 'vitest'
import { resolveLocation, resolveParty, resolveSku } from '../../web/src/header-fields.js'
import type { Location, Party, Sku } from '../../web/src/types.js'

const party = (code: string, name: string, role: Party['role']): Party =>
  ({ id: code, code, name, role, email: null, phone: null }) as Party
const PARTIES = [
  party('ACME', 'Acme Phones Ltd', 'supplier'),
  party('ACMX', 'Acme Express', 'supplier'),
  party('JANE', 'Jane Doe', 'customer'),
]
const loc = (code: string, name: string, barcode: string | null = null): Location => ({
  id: code,
  code,
  name,
  level: 'bin',
  kind: 'warehouse',
  parentId: null,
  path: `/${code}/`,
  barcode,
})
const LOCATIONS = [loc('WH', 'Central warehouse'), loc('WH-A1', 'Aisle A shelf 1', 'LBL-0001')]
const sku = (code: string, gtin: string | null, tracking: Sku['tracking'] = 'serial'): Sku =>
  ({ id: code, code, name: `${code} product`, gtin, tracking }) as Sku
const SKUS = [sku('PHX', '09506000134352'), sku('CABLE', null, 'quantity')]

describe('header fields: what is typed or scanned, resolved to a code', () => {
  it('takes a code in any case, a name, or a unique part of a name', () => {
    expect(resolveParty('acme', PARTIES, 'supplier')).toEqual({ ok: true, code: 'ACME', label: 'Acme Phones Ltd' })
    expect(resolveParty('Acme Phones Ltd', PARTIES, 'supplier')).toMatchObject({ ok: true, code: 'ACME' })
    expect(resolveParty('phones', PARTIES, 'supplier')).toMatchObject({ ok: true, code: 'ACME' })
    expect(resolveParty('jane', PARTIES, 'customer')).toMatchObject({ ok: true, code: 'JANE' })
  })
  it('refuses a name that matches several, nothing, or a party of the other role, saying so', () => {
    expect(resolveParty('Acm', PARTIES, 'supplier')).toEqual({
      ok: false,
      message: '“Acm” matches 2 suppliers: Acme Phones Ltd (ACME), Acme Express (ACMX); type more of it',
    })
    expect(resolveParty('Nobody', PARTIES, 'supplier')).toEqual({
      ok: false,
      message: 'no supplier has the code or name “Nobody”',
    })
    expect(resolveParty('Jane Doe', PARTIES, 'supplier')).toEqual({
      ok: false,
      message: 'Jane Doe (JANE) is a customer, not a supplier',
    })
  })
  it("takes a location's label barcode as scanned", () => {
    expect(resolveLocation('LBL-0001', LOCATIONS)).toEqual({
      ok: true,
      code: 'WH-A1',
      label: 'Aisle A shelf 1 (label LBL-0001)',
    })
    expect(resolveLocation('central warehouse', LOCATIONS)).toMatchObject({ ok: true, code: 'WH' })
    expect(resolveLocation('LBL-9', LOCATIONS)).toMatchObject({ ok: false })
  })
  it("takes a SKU's product barcode as EAN-13, GTIN-14 or GS1 (01), and refuses a bad check digit", () => {
    for (const scan of ['9506000134352', '09506000134352', '(01)09506000134352', '0109506000134352'])
      expect(resolveSku(scan, SKUS), scan).toMatchObject({ ok: true, code: 'PHX' })
    expect(resolveSku('9506000134353', SKUS)).toEqual({
      ok: false,
      message: '9506000134353 is not a valid product barcode (wrong check digit) nor a SKU code',
    })
    expect(resolveSku('4006381333931', SKUS)).toMatchObject({ ok: false, message: /is not the GTIN of any SKU/ })
    expect(resolveSku('cable', SKUS, 'serial')).toEqual({
      ok: false,
      message: 'CABLE product (CABLE) is quantity-tracked, not serial-tracked',
    })
  })
})
