import { describe, expect, it } from 'vitest'
import { LABEL_LAYOUTS, labelContent, labelElements, zplLabel, type LabelUnit } from './labels.rules.js'

const phone: LabelUnit = {
  serial: 'SN-0042',
  skuCode: 'PHX',
  skuName: 'Phone X',
  gtin: '09506000134352',
  lot: 'L7',
  expiresOn: '2027-12-31',
}

describe('label content', () => {
  it('carries (01) GTIN, (17) expiry, (10) lot and (21) serial as a GS1 DataMatrix', () => {
    expect(labelElements(phone)).toEqual([
      { ai: '01', value: '09506000134352' },
      { ai: '17', value: '271231' },
      { ai: '10', value: 'L7' },
      { ai: '21', value: 'SN-0042' },
    ])
    const c = labelContent(phone, 'datamatrix')
    expect(c).toMatchObject({ bcid: 'gs1datamatrix', text: '(01)09506000134352(17)271231(10)L7(21)SN-0042' })
    expect(c.lines).toEqual(['SN SN-0042', 'Phone X', 'PHX', 'LOT L7'])
  })
  it('carries the Digital Link in a QR code', () => {
    expect(labelContent({ ...phone, lot: null, expiresOn: null }, 'qr').text).toBe(
      'https://id.gs1.org/01/09506000134352/21/SN-0042',
    )
  })
  it('falls back to the plain serial when the SKU has no GTIN or the serial is no GS1 serial', () => {
    expect(labelContent({ ...phone, gtin: null }, 'datamatrix')).toMatchObject({ bcid: 'datamatrix', text: 'SN-0042' })
    expect(labelContent({ ...phone, serial: 'A B' }, 'qr')).toMatchObject({ bcid: 'qrcode', text: 'A B' })
  })
})

describe('ZPL', () => {
  it('writes ^BX GS1 DataMatrix field data with FNC1 as _1 (first, and after the variable-length lot)', () => {
    const zpl = zplLabel(labelContent(phone, 'datamatrix'), LABEL_LAYOUTS['thermal-50x25']!)
    expect(zpl).toMatch(/^\^XA\n\^PW400\n\^LL200\n/)
    expect(zpl).toContain('^BXN,')
    expect(zpl).toContain(',200,0,0,1,_^FD_1010950600013435217271231 10L7_121SN-0042^FS'.replace(' ', ''))
    expect(zpl).toContain('^FDSN SN-0042^FS')
    expect(zpl.endsWith('^XZ')).toBe(true)
  })
  it('writes ^BQ QR field data with the Digital Link', () => {
    const zpl = zplLabel(labelContent(phone, 'qr'), LABEL_LAYOUTS['jewelry-dumbbell']!)
    expect(zpl).toContain('^BQN,2,')
    expect(zpl).toContain('^FDMA,https://id.gs1.org/01/09506000134352/10/L7/21/SN-0042?17=271231^FS')
  })
})
