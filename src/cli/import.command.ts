import type { Command } from 'commander'
import type { AppContext } from '../core/context.js'
import { AppError } from '../core/errors.js'
import { importOrders, type OrderImportSummary } from './import/order-import.js'
import { importReceipts, type ReceiptImportOptions, type ReceiptImportSummary } from './import/receipt-import.js'
import {
  importReference,
  REFERENCE_KINDS,
  type ReferenceImportSummary,
  type ReferenceKindName,
} from './import/reference-import.js'
import { type DbFlags, type Print, printLine, withDatabaseOption, withDb } from './cli-context.js'

export const IMPORT_KINDS = ['skus', 'locations', 'parties', 'receipts', 'orders'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]
export type ImportSummary =
  ({ kind: 'receipts' } & ReceiptImportSummary) | ({ kind: 'orders' } & OrderImportSummary) | ReferenceImportSummary

/** Imports one CSV file of the given kind, all rows in one transaction (all or nothing). */
export async function importFile(
  ctx: AppContext,
  kind: string,
  path: string,
  opts: Partial<ReceiptImportOptions> = {},
): Promise<ImportSummary> {
  if (kind === 'receipts')
    return {
      kind,
      ...(await importReceipts(ctx, path, { actor: opts.actor ?? 'cli', idempotencyKey: opts.idempotencyKey })),
    }
  if (kind === 'orders') return { kind, ...(await importOrders(ctx, path, opts.actor ?? 'cli')) }
  if (kind in REFERENCE_KINDS) return importReference(ctx, kind as ReferenceKindName, path)
  throw new AppError(
    'request.invalid',
    `unknown import kind ${JSON.stringify(kind)}; expected ${IMPORT_KINDS.join(', ')}`,
  )
}

/** One line for the operator, e.g. `imported 3 receipts: 12,000 units, 500 quantity in 2.1 s`. */
export function describeImport(s: ImportSummary): string {
  const secs = `${s.seconds.toFixed(1)} s`
  if (s.kind === 'orders')
    return (
      `imported ${s.orders} orders (${s.lines} lines` +
      `${s.alreadyPlaced ? `, ${s.alreadyPlaced} placed before` : ''}) in ${secs}`
    )
  if (s.kind !== 'receipts') return `imported ${s.created} ${s.kind} in ${secs}`
  const units = s.units.toLocaleString('en-US')
  const what = `${s.receipts} receipts: ${units} units, ${s.quantity.toLocaleString('en-US')} quantity`
  return s.isReplay
    ? `already imported with this idempotency key (${what}); nothing written`
    : `imported ${what} in ${secs}`
}

interface ImportFlags extends DbFlags {
  idempotencyKey?: string
  actor?: string
}

export function registerImportCommand(program: Command, print: Print = printLine): void {
  withDatabaseOption(
    program
      .command('import')
      .description('import a CSV file in one transaction: skus, locations, parties, receipts or orders (CSV or JSON)')
      .argument('<kind>', IMPORT_KINDS.join(' | '))
      .argument('<file>', 'CSV file with a header row (comma-separated, UTF-8, BOM allowed); orders also .json')
      .option('--idempotency-key <key>', 'receipts: a retried import with the same key is applied once')
      .option('--actor <name>', 'who is recorded on the ledger events (default SERIAL_LEDGER_ACTOR or local-admin)')
      .option('--json', 'print the summary, or the error as problem JSON'),
  ).action(async (kind: string, file: string, flags: ImportFlags) =>
    withDb(flags, async (ctx, config) => {
      const summary = await importFile(ctx, kind, file, {
        actor: flags.actor ?? config.actor,
        idempotencyKey: flags.idempotencyKey,
      })
      print(flags.json ? JSON.stringify(summary) : describeImport(summary))
    }),
  )
}
