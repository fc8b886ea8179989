import { describe, expect, it } from 'vitest'
import { unit } from '../../../test/rules-spec.js'
import { serialRuleOf } from '../catalog/serial.rules.js'
import { identifyUnits, serialCandidates } from './resolve-units.rules.js'

const upper = serialRuleOf({ serialCase: 'upper', serialPattern: null })
const preserve = serialRuleOf({ serialCase: 'preserve', serialPattern: null })
const rules = new Map([
  ['sku-PHX', upper],
  ['sku-CASE', preserve],
])

describe('identifying the units a command names', () => {
  it('looks each serial up as typed, upper- and lower-cased', () => {
    expect(serialCandidates([{ serial: ' Ab-1 ' }])).toEqual(['Ab-1', 'AB-1', 'ab-1'])
  })

  it("matches a serial after the owning SKU's normalisation", () => {
    const a = unit('PHX-1')
    expect(identifyUnits([{ serial: 'phx-1' }], [a], rules)).toEqual([a])
    const mixed = unit('Ab-1', { skuId: 'sku-CASE', skuCode: 'CASE' })
    expect(() => identifyUnits([{ serial: 'AB-1' }], [mixed], rules)).toThrow(/no unit with serial AB-1/)
  })

  it('asks for the SKU when two SKUs share a serial, and takes it when named', () => {
    const a = unit('S-1')
    const b = unit('S-1', { skuId: 'sku-CASE', skuCode: 'CASE' })
    expect(() => identifyUnits([{ serial: 'S-1' }], [a, b], rules)).toThrow(
      /serial S-1 exists for PHX and CASE; name the SKU/,
    )
    expect(identifyUnits([{ serial: 'S-1', sku: 'CASE' }], [a, b], rules)).toEqual([b])
  })

  it('refuses a unit listed twice, and reports every unknown serial at once', () => {
    const a = unit('S-1')
    expect(() => identifyUnits([{ serial: 'S-1' }, { serial: 's-1' }], [a], rules)).toThrow(
      /listed twice \(also at units\[0\]\)/,
    )
    expect(() => identifyUnits([{ serial: 'X-1' }, { serial: 'X-2' }], [], rules)).toThrow(
      /no unit with serial X-1 \(and 1 more\)/,
    )
  })
})

describe('identifyUnits: a GTIN read from a scan', () => {
  const both = new Map([...rules, ['sku-TAB', upper]])
  const gtins = new Map([
    ['sku-PHX', '04006381333931'],
    ['sku-TAB', null],
  ])
  const phx = unit('S1')
  const tab = unit('S1', { skuId: 'sku-TAB', skuCode: 'TAB' })
  it('picks the unit whose SKU carries the GTIN, when two SKUs share the serial', () => {
    expect(() => identifyUnits([{ serial: 'S1' }], [phx, tab], both)).toThrow(/exists for PHX and TAB/)
    const ref = { serial: 'S1', gtin: '04006381333931' }
    expect(identifyUnits([ref], [phx, tab], both, 'units', gtins)).toEqual([phx])
  })
  it('refuses a unit whose SKU has another GTIN', () => {
    expect(() => identifyUnits([{ serial: 'S1', gtin: '09506000134352' }], [phx], both, 'units', gtins)).toThrow(
      /no unit with serial S1 of GTIN 09506000134352/,
    )
  })
})
