import { AppError, type IssueList } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { findSkuByCode, normalizeSerial, type SerialRule, serialRuleOf, type Sku } from '../../modules/catalog/index.js'
import { findDocumentByNumber } from '../../modules/documents/index.js'
import { getLocationByCode } from '../../modules/locations/index.js'
import { getPartyByCode } from '../../modules/parties/index.js'
import { ReceiveRequest } from '../../modules/receiving/index.js'
import { addZodIssues, type ColumnMap } from './cells.js'
import { HEADER_COLUMNS, type ReceiptHeaderCells, type ReceiptRow } from './receipt-rows.js'

/** A receipt as its first row describes it. */
export interface ReceiptHeader {
  number: string
  firstRow: number
  cells: ReceiptHeaderCells
  supplier: string
  location: string
  receivedAt?: string
  supplierRef?: string
  po?: string
  asn?: string
}

/** A row that passed every check, with the header of the receipt it belongs to. */
export interface CheckedRow extends ReceiptRow {
  receiptHeader: ReceiptHeader
}

const HEADER_FIELDS: ColumnMap[] = [
  { column: 'receipt', key: 'number', type: 'text' },
  { column: 'supplier', key: 'supplier', type: 'text' },
  { column: 'location', key: 'location', type: 'text' },
  { column: 'received_at', key: 'receivedAt', type: 'text' },
  { column: 'supplier_ref', key: 'supplierRef', type: 'text' },
  { column: 'po', key: 'po', type: 'text' },
  { column: 'asn', key: 'asn', type: 'text' },
]
const HeaderSchema = ReceiveRequest.pick({
  number: true,
  supplier: true,
  location: true,
  receivedAt: true,
  supplierRef: true,
  po: true,
  asn: true,
})

const RECEIVED_AT_FORMAT = 'must be an ISO 8601 date-time with offset (2026-03-01T09:30:00Z) or a date (2026-03-01)'
/** A date alone means midnight UTC of that day. */
const instantOf = (s?: string) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s)

interface SkuRules {
  sku: Sku
  serial: SerialRule
  identifiers: Map<string, RegExp | null>
}

/**
 * Checks receipt rows against the database inside the import transaction: the receipt's supplier,
 * location and number, header cells repeated consistently, and each row's SKU rules (tracking, lot,
 * serial format, declared identifiers). Rows that fail are reported with their row and column and dropped.
 */
export class ReceiptRowChecker {
  private readonly skus = new Map<string, SkuRules | null>()
  private readonly seenReceipts = new Map<string, number>()
  private current: ReceiptHeader | undefined

  constructor(
    private readonly db: Executor,
    private readonly issues: IssueList,
  ) {}

  /** Codes of serial-tracked SKUs met so far (to re-read the file when explaining duplicates). */
  get serialSkuCodes(): Set<string> {
    return new Set([...this.skus.values()].filter((r) => r?.sku.tracking === 'serial').map((r) => r!.sku.code))
  }

  async *check(rows: AsyncIterable<ReceiptRow>): AsyncGenerator<CheckedRow> {
    for await (const row of rows) {
      const before = this.issues.total
      const header = row.receipt === this.current?.number ? this.current : await this.startReceipt(row)
      this.checkHeaderCells(row, header)
      if (row.sku) await this.checkSkuRules(row)
      if (row.isValid && this.issues.total === before) yield { ...row, receiptHeader: header }
    }
  }

  private async startReceipt(row: ReceiptRow): Promise<ReceiptHeader> {
    const c = row.header
    const input = {
      number: row.receipt,
      supplier: c.supplier,
      location: c.location,
      receivedAt: instantOf(c.received_at),
      supplierRef: c.supplier_ref,
      po: c.po,
      asn: c.asn,
    }
    const header: ReceiptHeader = {
      ...input,
      firstRow: row.row,
      cells: c,
      supplier: c.supplier ?? '',
      location: c.location ?? '',
    }
    this.current = header
    const seenAt = this.seenReceipts.get(row.receipt)
    if (seenAt !== undefined)
      this.issues.add({
        row: row.row,
        field: 'receipt',
        value: row.receipt,
        message: `receipt ${row.receipt} already started at row ${seenAt}; the rows of one receipt must be consecutive`,
      })
    this.seenReceipts.set(row.receipt, row.row)
    const parsed = HeaderSchema.safeParse(input)
    const bad = new Set(parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0])))
    if (!parsed.success)
      addZodIssues(row.row, parsed.error, HEADER_FIELDS, this.issues, input, { received_at: RECEIVED_AT_FORMAT })
    if (!bad.has('supplier'))
      await this.refused(row.row, 'supplier', () => getPartyByCode(this.db, header.supplier, 'supplier'))
    if (!bad.has('location')) await this.refused(row.row, 'location', () => getLocationByCode(this.db, header.location))
    if (!bad.has('number') && seenAt === undefined && (await findDocumentByNumber(this.db, 'receipt', row.receipt)))
      this.issues.add({
        row: row.row,
        field: 'receipt',
        value: row.receipt,
        message: `receipt ${row.receipt} already exists (imported before?)`,
      })
    return header
  }

  private async refused(row: number, field: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn()
    } catch (e) {
      if (!(e instanceof AppError)) throw e
      this.issues.add({ row, field, message: e.message })
    }
  }

  /** Later rows may leave receipt-level cells empty; if they fill them in, they must agree with the first row. */
  private checkHeaderCells(row: ReceiptRow, header: ReceiptHeader): void {
    if (header.firstRow === row.row) return
    for (const column of HEADER_COLUMNS) {
      const value = row.header[column]
      const first = header.cells[column]
      if (value === undefined || value === first) continue
      const said = first === undefined ? 'leaves it empty' : `says ${JSON.stringify(first)}`
      this.issues.add({
        row: row.row,
        field: column,
        value,
        message: `differs from the first row of receipt ${header.number} (row ${header.firstRow}), which ${said}`,
      })
    }
  }

  private async checkSkuRules(row: ReceiptRow): Promise<void> {
    const rules = await this.rulesOf(row.sku)
    const add = (field: string, message: string, value?: string) =>
      this.issues.add({ row: row.row, field, value, message })
    if (!rules) return add('sku', `no SKU with code ${row.sku}`)
    const { sku } = rules
    if (sku.tracking === 'lot' && !row.lot) add('lot', `${sku.code} is lot-tracked: the lot is required`)
    if (sku.tracking === 'quantity' && row.lot) add('lot', `${sku.code} is quantity-tracked: it has no lots`)
    if (row.serial === undefined) {
      if (sku.tracking === 'serial')
        add('quantity', `${sku.code} is serial-tracked: give one serial per row, not a quantity`)
      return
    }
    if (sku.tracking !== 'serial')
      return add('serial', `${sku.code} is ${sku.tracking}-tracked: give a quantity, not a serial`, row.serial)
    const check = normalizeSerial(row.serial, rules.serial)
    if (!check.ok) add('serial', check.reason, row.serial)
    for (const [name, value] of Object.entries(row.identifiers ?? {})) {
      const pattern = rules.identifiers.get(name)
      if (pattern === undefined) {
        const declared = sku.identifiers.length ? ` (it has ${sku.identifiers.map((i) => i.name).join(', ')})` : ''
        add(name, `${sku.code} declares no identifier "${name}"${declared}`, value)
      } else if (!/^[\x21-\x7e]+$/.test(value)) add(name, 'must be printable ASCII without spaces', value)
      else if (pattern && !pattern.test(value)) add(name, `does not match ${pattern.source}`, value)
    }
  }

  private async rulesOf(code: string): Promise<SkuRules | null> {
    if (!this.skus.has(code)) {
      const sku = await findSkuByCode(this.db, code)
      const identifiers = new Map(
        sku?.identifiers.map((r) => [r.name, r.pattern ? new RegExp(`^(?:${r.pattern})$`) : null]),
      )
      this.skus.set(code, sku ? { sku, serial: serialRuleOf(sku), identifiers } : null)
    }
    return this.skus.get(code)!
  }
}
