import type { Command } from 'commander'
import type { AppContext } from '../core/context.js'
import { findWarrantyUnit, warrantyLookup, type WarrantyLookup } from '../modules/warranty/index.js'
import { type DbFlags, type Print, printLine, withDatabaseOption, withDb } from './cli-context.js'

/** A unit's warranty by serial or scan, as the API's lookup gives it. */
export async function cliWarranty(ctx: AppContext, code: string, sku?: string): Promise<WarrantyLookup> {
  return warrantyLookup(ctx.db.kysely, await findWarrantyUnit(ctx.db, code, sku), ctx.clock.now().toISOString())
}

/** The lookup in lines a person reads: status, term and why, supplier term, owner, claims. */
export function warrantyText(w: WarrantyLookup): string {
  const x = w.warranty
  const lines = [
    `${w.sku.code} ${w.serial} (${w.sku.name}): ${x.status.replace('_', ' ')}, unit ${w.unitStatus}`,
    `  warranty: ${x.startsOn ?? '-'} to ${x.endsOn ?? '-'} (rule ${x.rule})`,
    ...x.explanation.map((e) => `    ${e}`),
    `  supplier: ${w.supplier.months} months, to ${w.supplier.endsOn ?? '-'}` +
      (w.supplier.covered ? ' (cost can go back to the supplier)' : ''),
    `  owner: ${w.owner ? `${w.owner.code} ${w.owner.name}${w.owner.transferred ? ' (transferred)' : ''}` : '-'}`,
    ...w.history.map(
      (h) => `  ${h.occurredAt.slice(0, 10)} ${h.type}${h.outcome ? ` ${h.outcome}` : ''} ${h.document ?? ''}`,
    ),
    ...w.cloneSignals.map((s) => `  ! ${s}`),
  ]
  return lines.join('\n')
}

export function registerWarrantyCommand(program: Command, print: Print = printLine): void {
  withDatabaseOption(
    program
      .command('warranty')
      .description("a unit's warranty: status, start and end, which rule gave it, supplier term, owner, claims")
      .argument('<serial>', 'the serial, or a scanned code (GS1 with serial)')
      .option('--sku <code>', 'the SKU, when the serial exists for two')
      .option('--json', 'print the result (or an error) as JSON'),
  ).action(async (serial: string, flags: DbFlags & { sku?: string }) =>
    withDb(flags, async (ctx) => {
      const w = await cliWarranty(ctx, serial, flags.sku)
      print(flags.json ? JSON.stringify(w, null, 2) : warrantyText(w))
    }),
  )
}
