/* Bulk inputs for a receipt: a pasted list, a serial range, a CSV file. */
import { expandSerialRange, parseSerialRange } from '../../src/modules/catalog/serial-range.rules'

/** Most serials the browser expands from a range or holds from a file; larger receipts use the CLI import. */
export const MAX_BULK = 100_000

/** One entry per non-empty line (commas, semicolons and tabs also separate), in order. */
export function splitList(text: string): string[] {
  return text
    .split(/[\r\n,;\t]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

export function expandRange(pattern: string): { ok: true; serials: string[] } | { ok: false; message: string } {
  try {
    const r = parseSerialRange(pattern)
    const size = r.to - r.from + 1
    if (size > MAX_BULK)
      return {
        ok: false,
        message: `${pattern} has ${size} serials; the browser takes at most ${MAX_BULK} (use the CLI import for more)`,
      }
    return { ok: true, serials: [...expandSerialRange(pattern)] }
  } catch (e) {
    return { ok: false, message: (e as Error).message }
  }
}

/** Parses CSV text (RFC 4180: quotes, doubled quotes, CRLF, a BOM) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const s = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"' && cell === '') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''))
}

export interface CsvUnit {
  serial: string
  identifiers?: Record<string, string>
  row: number
}

/** Reads a receipt CSV: a `serial` column, any other column an extra identifier (imei, mac). Rows count the header as row 1. */
export function unitsFromCsv(text: string): { ok: true; units: CsvUnit[] } | { ok: false; message: string } {
  const rows = parseCsv(text)
  const header = rows[0]?.map((h) => h.trim().toLowerCase())
  if (!header) return { ok: false, message: 'the file is empty' }
  if (header.length === 1 && /[;\t]/.test(header[0]!))
    return { ok: false, message: 'the file is separated by ; or tabs; save it as comma-separated CSV' }
  const si = header.indexOf('serial')
  if (si < 0) return { ok: false, message: `no "serial" column (columns: ${header.join(', ')})` }
  if (rows.length - 1 > MAX_BULK)
    return { ok: false, message: `${rows.length - 1} rows; the browser takes at most ${MAX_BULK}` }
  const units = rows.slice(1).map((r, i) => {
    const identifiers: Record<string, string> = {}
    header.forEach((h, k) => {
      const v = r[k]?.trim()
      if (k !== si && h && v) identifiers[h] = v
    })
    return { serial: r[si]?.trim() ?? '', row: i + 2, ...(Object.keys(identifiers).length > 0 && { identifiers }) }
  })
  return { ok: true, units }
}
