import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { parse } from 'csv-parse'
import { AppError, IssueList } from '../../core/errors.js'

/** Which columns a CSV must and may have. */
export interface CsvSpec {
  required: readonly string[]
  optional: readonly string[]
  /** Whether columns not listed are allowed (receipts: extra unit identifiers such as imei). */
  allowExtra?: boolean
  /** Groups of which at least one column must be present (receipts: serial or quantity). */
  oneOf?: readonly (readonly string[])[]
}

/** One data row: its row number (the header is row 1) and its non-empty cells by column name. */
export interface CsvRecord {
  row: number
  cells: Record<string, string>
}

/** Fails early with a clear message when the file is missing or not a file. */
export async function assertReadableFile(path: string): Promise<void> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new AppError('import.invalid', `cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`)
  })
  if (!info.isFile()) throw new AppError('import.invalid', `${path} is not a file`)
}

/** SHA-256 of a file, streamed; the fingerprint an idempotent import is keyed on. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Streams a CSV file (BOM, quoted fields with newlines, CRLF, trimmed cells) as records whose empty cells
 * are left out ("not given"). Header problems throw one `import.invalid` error naming each column; a row
 * with the wrong number of fields is added to `issues` and skipped. Blank lines count as rows but yield nothing.
 */
export async function* readCsvFile(path: string, spec: CsvSpec, issues: IssueList): AsyncGenerator<CsvRecord> {
  const source = createReadStream(path)
  const parser = source.pipe(parse({ bom: true, trim: true, relax_column_count: true, relax_quotes: false }))
  // `pipe` does not forward a read error; without this a vanished file would crash the process.
  source.on('error', (e) => parser.destroy(e))
  let header: string[] | undefined
  let row = 0
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      row++
      if (!header) {
        header = checkHeader(fields, spec)
        continue
      }
      if (fields.every((f) => f === '')) continue
      if (fields.length !== header.length) {
        issues.add({
          row,
          field: '(row)',
          message:
            `has ${fields.length} fields, the header has ${header.length} ` +
            `(a stray delimiter or an unquoted comma?)`,
        })
        continue
      }
      const cells: Record<string, string> = {}
      let isDecodable = true
      fields.forEach((v, i) => {
        // Bytes that are not UTF-8 (a Latin-1 or Windows-1252 export) decode to U+FFFD: refuse rather than store
        // mojibake.
        if (v.includes('\uFFFD')) {
          issues.add({
            row,
            field: header![i]!,
            message: 'is not valid UTF-8; save the file as UTF-8 (Excel: "CSV UTF-8")',
          })
          isDecodable = false
        }
        if (v !== '') cells[header![i]!] = v
      })
      if (isDecodable) yield { row, cells }
    }
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError(
      'import.invalid',
      `${path}: row ${row + 1}: the file is not valid CSV: ${(e as Error).message}`,
      { issues: [{ row: row + 1, field: '(row)', message: (e as Error).message }] },
    )
  } finally {
    // Stopping early (a consumer gave up) must not leave the file open.
    source.destroy()
  }
  if (!header)
    throw new AppError('import.invalid', `${path} is empty: expected a header row with ${spec.required.join(', ')}`)
}

/** Normalises header names (trimmed, lower case) and checks them against the spec. */
function checkHeader(fields: string[], spec: CsvSpec): string[] {
  const header = fields.map((f) => f.trim().toLowerCase())
  const issues = new IssueList()
  if (header.length === 1) {
    const sep = /;/.test(header[0]!) ? ';' : /\t/.test(header[0]!) ? 'tab' : undefined
    if (sep) {
      issues.add({
        row: 1,
        field: '(header)',
        message:
          `the header is one column ${JSON.stringify(fields[0])}: ` +
          `the file looks ${sep}-separated; save it as comma-separated CSV`,
      })
      issues.throwIfAny('import.invalid', 'wrong delimiter')
    }
  }
  const known = new Set([...spec.required, ...spec.optional])
  header.forEach((name, i) => {
    if (name === '') issues.add({ row: 1, field: `(column ${i + 1})`, message: 'the header has an empty column name' })
    else if (header.indexOf(name) !== i) issues.add({ row: 1, field: name, message: 'the column appears twice' })
    else if (!spec.allowExtra && !known.has(name))
      issues.add({ row: 1, field: name, message: `unknown column; expected ${[...known].join(', ')}` })
  })
  for (const name of spec.required)
    if (!header.includes(name)) issues.add({ row: 1, field: name, message: `required column "${name}" is missing` })
  for (const group of spec.oneOf ?? [])
    if (!group.some((c) => header.includes(c)))
      issues.add({ row: 1, field: group.join('/'), message: `the file needs a ${group.join(' or a ')} column` })
  issues.throwIfAny('import.invalid', 'CSV header refused')
  return header
}
