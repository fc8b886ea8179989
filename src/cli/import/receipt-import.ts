import { sql } from 'kysely'
import type { AppContext, WriteScope } from '../../core/context.js'
import { AppError, type ErrorCode, type FieldIssue, IssueList } from '../../core/errors.js'
import { mapDbError } from '../../db/errors.js'
import { runCommand } from '../../modules/operations/index.js'
import { applyReceipt, explainDuplicates, type ReceiptLine, type ReceiptResult } from '../../modules/receiving/index.js'
import { assertReadableFile, fileSha256, readCsvFile } from './csv-table.js'
import { type ReceiptHeader, ReceiptRowChecker } from './receipt-checks.js'
import { allLines, linesOf, Peekable, type RowStream } from './receipt-lines.js'
import { parseReceiptRows, RECEIPT_SPEC } from './receipt-rows.js'

export interface ReceiptImportOptions {
  actor: string
  /** A retried import with the same key (and the same file) is applied once. */
  idempotencyKey?: string
}

export interface ReceiptImportSummary {
  receipts: number
  units: number
  quantity: number
  seconds: number
  /** True when the idempotency key had already been used: nothing was written this time. */
  isReplay: boolean
}

type Totals = Omit<ReceiptImportSummary, 'seconds' | 'isReplay'>

/** Thrown inside the transaction to roll it back; turned into the user-facing error outside it. */
class ImportRefused extends Error {
  constructor(
    readonly issues: IssueList,
    readonly hasDuplicates: boolean,
    readonly serialSkus: Set<string>,
  ) {
    super('import refused')
  }
}

/**
 * Imports a receipts CSV: consecutive rows with the same `receipt` are one receipt (one ledger event),
 * and every receipt of the file is written in one transaction, streamed row by row. Any bad row means
 * nothing is written, and every bad row is reported with its row number and column.
 */
export async function importReceipts(
  ctx: AppContext,
  path: string,
  opts: ReceiptImportOptions,
): Promise<ReceiptImportSummary> {
  await assertReadableFile(path)
  const started = performance.now()
  const request = { import: 'receipts', sha256: await fileSha256(path) }
  try {
    const { result, isReplay } = await runCommand(
      ctx,
      { actor: opts.actor, idempotencyKey: opts.idempotencyKey, request },
      (scope) => receiveFile(scope, path),
    )
    return { ...result, isReplay, seconds: (performance.now() - started) / 1000 }
  } catch (e) {
    if (e instanceof ImportRefused) throw await refusalOf(ctx, path, e)
    throw e
  }
}

async function receiveFile(scope: WriteScope, path: string): Promise<Totals> {
  const issues = new IssueList()
  const checker = new ReceiptRowChecker(scope.trx, issues)
  const rows = new Peekable(checker.check(parseReceiptRows(readCsvFile(path, RECEIPT_SPEC, issues), issues)))
  const totals: Totals = { receipts: 0, units: 0, quantity: 0 }
  let hasDuplicates = false
  for (let head = await rows.peek(); head; head = await rows.peek()) {
    const header = head.receiptHeader
    // After the first refusal nothing more is written; the rest of the file is still checked.
    if (issues.isEmpty && !hasDuplicates) {
      const outcome = await receiveInSavepoint(scope, header, linesOf(rows, header.number), issues)
      if (outcome === 'duplicate') hasDuplicates = true
      else if (outcome) {
        totals.receipts++
        totals.units += outcome.unitCount
        totals.quantity += outcome.quantity
      }
    }
    await skipReceipt(rows, header.number)
  }
  if (!issues.isEmpty || hasDuplicates) throw new ImportRefused(issues, hasDuplicates, checker.serialSkuCodes)
  return totals
}

/** Reads (and so checks) whatever rows of a receipt were not received. */
async function skipReceipt(rows: RowStream, number: string): Promise<void> {
  for await (const line of linesOf(rows, number)) if (line.units) for await (const _unit of line.units());
}

/**
 * Receives one receipt inside a savepoint, so a refusal (a unique violation aborts a PostgreSQL
 * transaction) leaves the import's transaction usable for checking the rest of the file.
 */
async function receiveInSavepoint(
  scope: WriteScope,
  h: ReceiptHeader,
  lines: AsyncIterable<ReceiptLine>,
  issues: IssueList,
): Promise<ReceiptResult | 'duplicate' | undefined> {
  await sql`savepoint receipt_import`.execute(scope.trx)
  try {
    const cmd = {
      number: h.number,
      supplier: h.supplier,
      location: h.location,
      receivedAt: h.receivedAt,
      supplierRef: h.supplierRef,
      po: h.po,
      asn: h.asn,
      lines,
    }
    const result = await applyReceipt(scope, cmd)
    await sql`release savepoint receipt_import`.execute(scope.trx)
    return result
  } catch (e) {
    await sql`rollback to savepoint receipt_import`.execute(scope.trx)
    await sql`release savepoint receipt_import`.execute(scope.trx)
    const err = mapDbError(e)
    if (!(err instanceof AppError)) throw err
    // The unique keys name only the first clash: the file is re-read to list every one.
    if (err.code === 'serial.duplicate' || err.code === 'identifier.duplicate') return 'duplicate'
    addRefusal(err, h, issues)
    return undefined
  }
}

const FIELD_OF_CODE: Partial<Record<ErrorCode, string>> = {
  'party.not_found': 'supplier',
  'party.wrong_role': 'supplier',
  'location.not_found': 'location',
  'auth.out_of_scope': 'location',
  'document.duplicate': 'receipt',
  'sku.not_found': 'sku',
}

/** Turns a refusal by `receive` into row/column issues: its `lines[i].serial` fields become CSV columns. */
function addRefusal(err: AppError, h: ReceiptHeader, issues: IssueList): void {
  const items = (err.details?.issues ?? []) as FieldIssue[]
  if (items.length === 0)
    return issues.add({ row: h.firstRow, field: FIELD_OF_CODE[err.code] ?? 'receipt', message: err.message })
  for (const i of items) issues.add({ ...i, row: i.row ?? h.firstRow, field: csvField(i.field) })
  issues.total += Number(err.details?.issueCount ?? items.length) - items.length
}

const csvField = (field: string) => field.replace(/^lines\[\d+\]\.?/, '') || 'serial'

/** The error the user sees; duplicate serials and identifiers are listed in full by re-reading the file. */
async function refusalOf(ctx: AppContext, path: string, refused: ImportRefused): Promise<AppError> {
  const all: FieldIssue[] = [...refused.issues.items]
  let total = refused.issues.total
  let code: ErrorCode = 'import.invalid'
  if (refused.hasDuplicates) {
    const explained = await explainDuplicates(ctx, rereadSerialLines(path, refused.serialSkus))
    code = explained.code
    const dups = ((explained.details?.issues ?? []) as FieldIssue[]).map((i) => ({ ...i, field: csvField(i.field) }))
    all.push(...(dups.length ? dups : [{ field: 'serial', message: explained.message }]))
    total += Math.max(Number(explained.details?.issueCount ?? dups.length), 1)
  }
  const list = new IssueList()
  for (const i of all.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))) list.add(i)
  list.total = total
  if (!refused.issues.isEmpty) code = 'import.invalid'
  try {
    list.throwIfAny(code, `${path}: nothing was imported`)
  } catch (e) {
    return e as AppError
  }
  return new AppError(code, `${path}: nothing was imported`)
}

/** A fresh, database-free read of the file's serial rows, grouped into lines as the import did. */
function rereadSerialLines(path: string, serialSkus: Set<string>): AsyncIterable<ReceiptLine> {
  const scratch = new IssueList()
  async function* serialRows() {
    for await (const r of parseReceiptRows(readCsvFile(path, RECEIPT_SPEC, scratch), scratch))
      if (r.isValid && r.serial !== undefined && serialSkus.has(r.sku)) yield r
  }
  return allLines(new Peekable(serialRows()))
}
