import { describe, expect, it } from 'vitest'
import { unitsFromCsv } from '../../web/src/receipt-csv.js'

describe('receipt CSV in the browser', () => {
  it('reads a serial column and takes the other columns as identifiers, past a BOM and CRLF', () => {
    expect(unitsFromCsv('\uFEFFSerial, IMEI \r\nA1,111\r\n"A,2",222\r\n')).toEqual({
      ok: true,
      units: [
        { serial: 'A1', row: 2, identifiers: { imei: '111' } },
        { serial: 'A,2', row: 3, identifiers: { imei: '222' } },
      ],
    })
  })

  it('keeps a newline inside quotes, skips blank rows and counts them as rows, as the CLI import does', () => {
    expect(unitsFromCsv('serial,note\n"X\nY",ok\n\n  ,  \nZ1,\n')).toEqual({
      ok: true,
      units: [
        { serial: 'X\nY', row: 2, identifiers: { note: 'ok' } },
        { serial: 'Z1', row: 5 },
      ],
    })
  })

  it('takes a quote inside an unquoted cell as data', () => {
    expect(unitsFromCsv('serial,desc\nQ1,12" screen\n')).toMatchObject({
      units: [{ identifiers: { desc: '12" screen' } }],
    })
  })

  it('refuses an empty file, a file without a serial column and a ;-separated one', () => {
    expect(unitsFromCsv('')).toEqual({ ok: false, message: 'the file is empty' })
    expect(unitsFromCsv('sn,imei\nA,1\n')).toEqual({ ok: false, message: 'no "serial" column (columns: sn, imei)' })
    expect(unitsFromCsv('serial;imei\nA;1\n')).toMatchObject({
      ok: false,
      message: expect.stringContaining('; or tabs'),
    })
  })

  it('names the row where a malformed file stops', () => {
    expect(unitsFromCsv('serial,imei\nA,1\n"B,2\nC,3\n')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^row 3: the file is not valid CSV \(Quote Not Closed/),
    })
  })
})
