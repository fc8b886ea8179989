import type { IssueList } from '../../core/errors.js'
import { ReceiptLineRequest } from '../../modules/receiving/index.js'
import { addZodIssues, type ColumnMap, requestOf } from './cells.js'
import type { CsvRecord, CsvSpec } from './csv-table.js'

/** Columns of a receipts CSV; any other column is an extra identifier of the unit (imei, mac). */
export const RECEIPT_SPEC: CsvSpec = {
  required: ['receipt', 'supplier', 'location', 'sku'],
  optional: ['serial', 'quantity', 'lot', 'lot_expires_on', 'unit_cost', 'received_at', 'supplier_ref', 'po', 'asn'],
  allowExtra: true,
  oneOf: [['serial', 'quantity']],
}

/** Fields that describe the receipt as a whole; later rows may leave them empty or must repeat them. */
export const HEADER_COLUMNS = ['supplier', 'location', 'received_at', 'supplier_ref', 'po', 'asn'] as const
export type ReceiptHeaderCells = Partial<Record<(typeof HEADER_COLUMNS)[number], string>>

/** One parsed receipts row. */
export interface ReceiptRow {
  row: number
  receipt: string
  header: ReceiptHeaderCells
  sku: string
  lot?: string
  lotExpiresOn?: string
  unitCost?: number
  serial?: string
  quantity?: number
  identifiers?: Record<string, string>
  /** False when a cell was refused; the row still tells where its receipt starts but is not received. */
  isValid: boolean
}

const LINE_COLUMNS: ColumnMap[] = [
  { column: 'sku', key: 'sku', type: 'text' },
  { column: 'lot', key: 'lot', type: 'text' },
  { column: 'lot_expires_on', key: 'lotExpiresOn', type: 'text' },
  { column: 'unit_cost', key: 'unitCost', type: 'number' },
  { column: 'quantity', key: 'quantity', type: 'int' },
]
const LineCells = ReceiptLineRequest.pick({ sku: true, lot: true, lotExpiresOn: true, unitCost: true, quantity: true })
const KNOWN = new Set([...RECEIPT_SPEC.required, ...RECEIPT_SPEC.optional])

/**
 * Parses CSV records into receipt rows, checking each cell with the receipt line schema. A million rows
 * mostly repeat the same SKU, lot and cost, so a line's cells are validated once per change.
 */
export async function* parseReceiptRows(
  records: AsyncIterable<CsvRecord>,
  issues: IssueList,
): AsyncGenerator<ReceiptRow> {
  let lastValidKey: string | undefined
  for await (const { row, cells } of records) {
    if (!cells.receipt) {
      issues.add({
        row,
        field: 'receipt',
        message: 'a value is required (rows with the same receipt number form one receipt)',
      })
      continue
    }
    const before = issues.total
    const input = requestOf(row, cells, LINE_COLUMNS, issues) ?? {}
    const key = JSON.stringify([cells.sku, cells.lot, cells.lot_expires_on, cells.unit_cost, cells.quantity])
    if (issues.total === before && key !== lastValidKey) {
      const parsed = LineCells.safeParse(input)
      if (parsed.success) lastValidKey = key
      else addZodIssues(row, parsed.error, LINE_COLUMNS, issues, input)
    }
    if (cells.serial !== undefined && cells.quantity !== undefined)
      issues.add({ row, field: 'quantity', message: 'give a serial or a quantity, not both' })
    if (cells.serial === undefined && cells.quantity === undefined)
      issues.add({ row, field: 'serial', message: 'give a serial (serial-tracked SKU) or a quantity' })
    const identifiers = identifiersOf(cells)
    if (identifiers && cells.serial === undefined)
      issues.add({
        row,
        field: Object.keys(identifiers)[0]!,
        message: 'identifiers belong to a unit: give them on a row with a serial',
      })
    yield {
      row,
      receipt: cells.receipt,
      header: Object.fromEntries(HEADER_COLUMNS.filter((c) => cells[c] !== undefined).map((c) => [c, cells[c]])),
      sku: cells.sku ?? '',
      lot: cells.lot,
      lotExpiresOn: cells.lot_expires_on,
      unitCost: input.unitCost as number | undefined,
      serial: cells.serial,
      quantity: input.quantity as number | undefined,
      identifiers,
      isValid: issues.total === before,
    }
  }
}

function identifiersOf(cells: Record<string, string>): Record<string, string> | undefined {
  let out: Record<string, string> | undefined
  for (const [name, value] of Object.entries(cells)) if (!KNOWN.has(name)) (out ??= {})[name] = value
  return out
}
