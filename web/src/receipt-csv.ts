/*
 * A receipt's CSV file read in the browser with csv-parse's browser build (the parser the CLI import
 * uses): a BOM, quoted fields with commas, quotes and newlines, CRLF. Kept out of the main bundle: the
 * receive page loads it with the first file.
 */
import { parse } from 'csv-parse/browser/esm/sync'
import { MAX_BULK } from './batch-inputs.js'

export interface CsvUnit {
  serial: string
  identifiers?: Record<string, string>
  /** The record's row in the file, the header being row 1 (blank lines count, as in the CLI import). */
  row: number
}

/** Parses CSV text into records of cells; a malformed file is refused naming the row it stops at. */
function records(text: string): { ok: true; rows: string[][] } | { ok: false; message: string } {
  try {
    // relax_quotes: a quote inside an unquoted cell (`12" screen`) is data, as spreadsheets write it.
    return { ok: true, rows: parse(text, { bom: true, relax_column_count: true, relax_quotes: true }) }
  } catch (e) {
    const row = (e as { records?: number }).records
    const at = row === undefined ? '' : `row ${row + 1}: `
    return { ok: false, message: `${at}the file is not valid CSV (${(e as Error).message})` }
  }
}

/**
 * Reads a receipt CSV: a `serial` column, any other column an extra identifier (imei, mac). Header names
 * are trimmed and case-insensitive, cells trimmed, blank rows skipped.
 */
export function unitsFromCsv(text: string): { ok: true; units: CsvUnit[] } | { ok: false; message: string } {
  const parsed = records(text)
  if (!parsed.ok) return parsed
  const [first, ...data] = parsed.rows
  const header = first?.map((h) => h.trim().toLowerCase())
  if (!header) return { ok: false, message: 'the file is empty' }
  if (header.length === 1 && /[;\t]/.test(header[0]!))
    return { ok: false, message: 'the file is separated by ; or tabs; save it as comma-separated CSV' }
  const si = header.indexOf('serial')
  if (si < 0) return { ok: false, message: `no "serial" column (columns: ${header.join(', ')})` }
  const units: CsvUnit[] = []
  data.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return
    const identifiers: Record<string, string> = {}
    header.forEach((h, k) => {
      const v = cells[k]?.trim()
      if (k !== si && h && v) identifiers[h] = v
    })
    units.push({
      serial: cells[si]?.trim() ?? '',
      row: i + 2,
      ...(Object.keys(identifiers).length > 0 && { identifiers }),
    })
  })
  if (units.length > MAX_BULK)
    return { ok: false, message: `${units.length} rows; the browser takes at most ${MAX_BULK}` }
  return { ok: true, units }
}
