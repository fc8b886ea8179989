/*
 * CSV as spreadsheets read it (RFC 4180): a header row, fields quoted when they hold a comma, quote or
 * line break, CRLF line ends, and a text cell starting with = + - @ prefixed with ' so a spreadsheet
 * shows it rather than running it as a formula. Pure: test/web/csv.test.ts says what it does.
 */

export type CsvCell = string | number | boolean | null | undefined

/** One column of an export: its header and the value of each row. */
export interface CsvColumn<R> {
  header: string
  value: (row: R) => CsvCell
}

function field(v: CsvCell): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The rows as CSV text under a header row. */
export function toCsv<R>(columns: readonly CsvColumn<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => field(c.header)).join(',')]
  for (const r of rows) lines.push(columns.map((c) => field(c.value(r))).join(','))
  return `${lines.join('\r\n')}\r\n`
}

/** A file name for an export: `units-2026-12-01.csv`. */
export const csvFileName = (what: string, now = new Date()) =>
  `${what.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${now.toISOString().slice(0, 10)}.csv`
