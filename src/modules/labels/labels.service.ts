import { sql } from 'kysely'
/*
 * The units a label request names (a receipt's, or a list of serials), read in pages and turned into
 * label contents, written as PDF or ZPL.
 */
import type { Writable } from 'node:stream'
import { AppError } from '../../core/errors.js'
import type { Executor } from '../../db/database.js'
import { writeLabelsPdf } from './labels-pdf.js'
import { LABEL_LAYOUTS, type LabelContent, labelContent, type LabelUnit, zplLabel } from './labels.rules.js'
import { type LabelsQuery, MAX_LABELS, serialsOf } from './labels.schemas.js'

const PAGE = 500

function unitsQuery(db: Executor) {
  return db
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('lot', 'lot.id', 'u.lot_id')
    .select([
      'u.id',
      'u.serial',
      's.code as skuCode',
      's.name as skuName',
      's.gtin',
      'lot.code as lot',
      'lot.expires_on as expiresOn',
    ])
}

/** The units to label, in receipt order or the order the serials were given; refuses an empty selection. */
export async function* labelUnits(
  db: Executor,
  q: Pick<LabelsQuery, 'receipt' | 'serials'>,
): AsyncGenerator<LabelUnit> {
  let count = 0
  if (q.receipt) {
    const doc = await db
      .selectFrom('document')
      .select('id')
      .where('type', '=', sql.lit('receipt'))
      .where('number', '=', q.receipt)
      .executeTakeFirstOrThrow(() => new AppError('document.not_found', `no receipt ${q.receipt}`))
    for (let after = ''; ;) {
      const rows = await unitsQuery(db)
        .where('u.receipt_id', '=', doc.id)
        .where('u.id', '>', after)
        .orderBy('u.id')
        .limit(PAGE)
        .execute()
      if (rows.length === 0) break
      for (const r of rows) if (count++ < MAX_LABELS) yield r
      after = rows.at(-1)!.id
    }
  }
  const serials = q.serials ? serialsOf(q.serials) : []
  if (serials.length > MAX_LABELS) throw new AppError('request.invalid', `at most ${MAX_LABELS} labels per request`)
  for (let i = 0; i < serials.length; i += PAGE) {
    const chunk = serials.slice(i, i + PAGE)
    const rows = await unitsQuery(db).where('u.serial', 'in', chunk).execute()
    const bySerial = new Map(rows.map((r) => [r.serial, r]))
    const missing = chunk.filter((s) => !bySerial.has(s))
    if (missing.length > 0)
      throw new AppError('unit.not_found', `no unit with serial ${missing.slice(0, 5).join(', ')}`)
    for (const s of chunk) {
      count++
      yield bySerial.get(s)!
    }
  }
  if (count === 0) throw new AppError('label.nothing_to_print', 'name a receipt or serials to print labels for')
}

async function* contentsOf(
  units: AsyncIterable<LabelUnit>,
  symbol: LabelsQuery['symbol'],
): AsyncGenerator<LabelContent> {
  for await (const u of units) yield labelContent(u, symbol)
}

/** Writes the labels of a request to `out` (PDF or ZPL); returns how many. */
export async function writeLabels(db: Executor, q: LabelsQuery, out: Writable): Promise<number> {
  const layout = LABEL_LAYOUTS[q.layout]!
  // The first unit is read before anything is written, so an empty or unknown selection is a clean error.
  const units = labelUnits(db, q)
  const first = await units.next()
  async function* all() {
    if (!first.done) yield first.value
    yield* units
  }
  if (q.format === 'pdf') return writeLabelsPdf(contentsOf(all(), q.symbol), layout, out)
  let n = 0
  for await (const c of contentsOf(all(), q.symbol)) {
    out.write(`${zplLabel(c, layout)}\n`)
    n++
  }
  await new Promise<void>((resolve) => out.end(resolve))
  return n
}
