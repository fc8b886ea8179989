import { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import { AppError } from '../../core/errors.js'
import { expandSerialRange } from '../catalog/serial-range.rules.js'
import type { RawUnit } from './receive.rules.js'
import type { ReceiptLineRequest } from './receiving.schemas.js'

/** A re-readable stream of raw units: read once to receive, and again only to explain duplicates. */
export type UnitSource = () => AsyncIterable<RawUnit> | Iterable<RawUnit>

function* numbered(serials: readonly (string | { serial: string; gtin?: string })[]): Generator<RawUnit> {
  for (let i = 0; i < serials.length; i++) {
    const s = serials[i]!
    yield typeof s === 'string' ? { serial: s, row: i + 1 } : { ...s, row: i + 1 }
  }
}

function* fromRange(pattern: string): Generator<RawUnit> {
  let row = 0
  for (const serial of expandSerialRange(pattern)) yield { serial, row: ++row }
}

/**
 * Reads units from CSV: a header row with a `serial` column, any other column is an extra identifier
 * (imei, mac). Handles a BOM, quoted fields and CRLF; data row numbers count the header as row 1.
 */
export async function* unitsFromCsv(input: Readable): AsyncGenerator<RawUnit> {
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      relax_column_count: false,
    }),
  )
  let row = 1
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      row++
      if (!('serial' in record))
        throw new AppError(
          'import.invalid',
          `CSV has no "serial" column (columns: ${Object.keys(record).join(', ')})`,
          { row: 1, field: 'serial' },
        )
      const { serial, ...rest } = record
      const identifiers = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''))
      yield { serial: serial!, identifiers: Object.keys(identifiers).length ? identifiers : undefined, row }
    }
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('import.invalid', `CSV row ${row + 1}: ${(e as Error).message}`, { row: row + 1 })
  }
}

/** Which way a receipt line lists its units; exactly one of serials/units/range/csv (or none for quantities). */
export function unitSourceOf(line: ReceiptLineRequest): UnitSource | undefined {
  const given = (['serials', 'units', 'range', 'csv'] as const).filter((k) => line[k] !== undefined)
  if (given.length > 1)
    throw new AppError('request.invalid', `line for ${line.sku}: give only one of ${given.join(', ')}`)
  if (line.serials) return () => numbered(line.serials!)
  if (line.units) return () => line.units!.map((u, i) => ({ ...u, row: i + 1 }))
  if (line.range) return () => fromRange(line.range!)
  if (line.csv !== undefined) return () => unitsFromCsv(Readable.from([line.csv!]))
  return undefined
}
