/*
 * Captures an EPCIS document into the ledger: checked against GS1's schema, every event planned
 * (`planCapture`, refusing all it cannot turn into an operation at once), then every planned operation
 * run in one write transaction, so a document is captured whole or not at all.
 */
import { ZodError } from 'zod'
import { AppError, IssueList } from '../../core/errors.js'
import type { AppContext } from '../../core/context.js'
import type { Executor } from '../../db/database.js'
import { adjust, restock, scrap } from '../adjustments/index.js'
import { move, receiveTransfer, shipTransfer } from '../movements/index.js'
import { pack, unpack } from '../containers/index.js'
import { apply, runCommand } from '../operations/index.js'
import { receive } from '../receiving/index.js'
import { returnGoods, sell } from '../sales/index.js'
import { type CaptureLookups, type CaptureOperation, planCapture } from './epcis-capture.rules.js'
import { schemaProblems } from './epcis-schema.js'

const OPERATIONS = {
  receive,
  move,
  shipTransfer,
  receiveTransfer,
  sell,
  returnGoods,
  restock,
  adjust,
  scrap,
  pack,
  unpack,
} as const
const _exhaustive: Record<CaptureOperation, unknown> = OPERATIONS

export interface CaptureResult {
  events: number
  captured: number
  skipped: { index: number; eventId?: string; reason: string }[]
  ledgerEvents: number[]
}

/** SKUs, locations and parties by the keys identifiers carry, case-insensitive like our codes. */
async function loadLookups(db: Executor): Promise<CaptureLookups> {
  const skus = await db.selectFrom('sku').select(['code', 'gtin']).execute()
  const locations = await db.selectFrom('location').select(['code', 'barcode']).execute()
  const parties = await db.selectFrom('party').select(['code']).execute()
  const byCode = (rows: { code: string }[]) => new Map(rows.map((r) => [r.code.toLowerCase(), r.code]))
  const [skuCodes, locationCodes, partyCodes] = [byCode(skus), byCode(locations), byCode(parties)]
  const gtins = new Map(skus.filter((s) => s.gtin).map((s) => [s.gtin!, s.code]))
  const glns = new Map(locations.filter((l) => l.barcode).map((l) => [l.barcode!, l.code]))
  return {
    skuOfGtin: (g) => gtins.get(g.padStart(14, '0')),
    sku: (c) => skuCodes.get(c.toLowerCase()),
    locationOfGln: (g) => glns.get(g),
    location: (c) => locationCodes.get(c.toLowerCase()),
    party: (c) => partyCodes.get(c.toLowerCase()),
  }
}

function why(e: unknown): string {
  if (e instanceof AppError) return e.message
  if (e instanceof ZodError) return e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
  throw e
}

/** Captures a parsed EPCIS document as one atomic command acting as `actor`. */
export async function captureEpcis(ctx: AppContext, actor: string, doc: unknown): Promise<CaptureResult> {
  const problems = schemaProblems(doc)
  if (problems) {
    const issues = new IssueList()
    for (const p of problems) issues.add({ field: p.path || '(document)', message: p.message })
    issues.throwIfAny('epcis.invalid', 'the document is not valid EPCIS 2.0 (GS1 JSON Schema)')
  }
  const { steps, issues } = planCapture(doc as Record<string, unknown>, await loadLookups(ctx.db.kysely))
  if (issues.length > 0) {
    const list = new IssueList()
    issues.forEach((i) => list.add(i))
    list.throwIfAny('epcis.capture_refused', 'nothing was captured')
  }
  const ledgerEvents: number[] = []
  await runCommand(ctx, { actor }, async (scope) => {
    for (const step of steps) {
      if (!('op' in step)) continue
      try {
        const result = (await apply(scope, OPERATIONS[step.op], step.input as never)) as { eventSeq: number }
        ledgerEvents.push(Number(result.eventSeq))
      } catch (e) {
        const message = why(e)
        const event = `event ${step.index + 1}${step.eventId ? ` (${step.eventId})` : ''}`
        throw new AppError('epcis.capture_refused', `nothing was captured: ${event}: ${message}`, {
          issues: [{ row: step.index + 1, field: `eventList[${step.index}]`, message }],
          issueCount: 1,
          ...(e instanceof AppError && { cause: e.code }),
        })
      }
    }
  })
  const skipped = steps.flatMap((s) =>
    'skipped' in s ? [{ index: s.index, eventId: s.eventId, reason: s.skipped }] : [],
  )
  return { events: steps.length, captured: ledgerEvents.length, skipped, ledgerEvents }
}
void _exhaustive
