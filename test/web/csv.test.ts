import { describe, expect, it } from 'vitest'
import { csvFileName, toCsv } from '../../web/src/csv.js'

describe('CSV export', () => {
  const cols = [
    { header: 'serial', value: (r: { s: string; n: number | null }) => r.s },
    { header: 'cost', value: (r: { s: string; n: number | null }) => r.n },
  ]
  it('writes a header row and CRLF lines, quoting commas, quotes and line breaks', () => {
    expect(
      toCsv(cols, [
        { s: 'A,1', n: 2.5 },
        { s: 'say "hi"', n: null },
        { s: 'two\nlines', n: 0 },
      ]),
    ).toBe('serial,cost\r\n"A,1",2.5\r\n"say ""hi""",\r\n"two\nlines",0\r\n')
  })
  it('keeps a spreadsheet from running a text cell as a formula, but writes negative numbers as numbers', () => {
    expect(
      toCsv(cols, [
        { s: '=HYPERLINK("x")', n: -3 },
        { s: '@SUM(A1)', n: 1 },
      ]),
    ).toBe('serial,cost\r\n"\'=HYPERLINK(""x"")",-3\r\n\'@SUM(A1),1\r\n')
  })
  it('names the file after the list and the day', () => {
    expect(csvFileName('Suppliers and customers', new Date('2026-12-01T10:00:00Z'))).toBe(
      'suppliers-and-customers-2026-12-01.csv',
    )
  })
})
