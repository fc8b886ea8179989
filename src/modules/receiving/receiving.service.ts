import { sql } from 'kysely'
import type { AppContext, WriteScope } from '../../core/context.js'
import { AppError, type FieldIssue, IssueList } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import { toMinor } from '../../core/money.js'
import type { Executor, Trx } from '../../db/database.js'
import { getSkuByCode, normalizeSerial, serialRuleOf, type Sku } from '../catalog/index.js'
import type { UnitLine } from '../ledger/event.js'
import { EventWriter } from '../ledger/ledger-writer.js'
import { assertInLocationScope, getLocationByCode } from '../locations/index.js'
import { findOrCreateLot } from '../lots/lots.js'
import { getPartyByCode } from '../parties/parties.js'
import { createDocument } from '../documents/documents.js'
import type { z } from 'zod'
import { type ReceiptResult, ReceiveRequest } from './receiving.schemas.js'
import { type RawUnit, type UnitSource, unitSourceOf } from './unit-sources.js'

const FLUSH_EVERY = 2000
const MANIFEST_LIST_LIMIT = 1000

export interface ReceiptLine {
  sku: string
  lot?: string
  lotExpiresOn?: string
  unitCost?: number
  quantity?: number
  units?: UnitSource
}

/** A receipt whose lines may arrive lazily (a CSV import streams them) and whose serials are read lazily. */
export type ReceiveCommand = Omit<ReceiveRequest, 'lines'> & {
  lines: Iterable<ReceiptLine> | AsyncIterable<ReceiptLine>
}

/** Turns a validated request into a command whose serials are read lazily (list, range or CSV). */
export function receiveCommandOf(input: z.input<typeof ReceiveRequest>): ReceiveCommand {
  const req = ReceiveRequest.parse(input)
  return {
    ...req,
    lines: req.lines.map((l) => ({
      sku: l.sku,
      lot: l.lot,
      lotExpiresOn: l.lotExpiresOn,
      unitCost: l.unitCost,
      quantity: l.quantity,
      units: unitSourceOf(l),
    })),
  }
}

/**
 * Receives a delivery as one ledger event: creates the receipt document and lots, streams every serial
 * through normalisation and the SKU's rules, inserts units in batches and adds quantity stock. Any bad
 * row makes the whole receipt fail (the caller's transaction rolls back) with every bad row named.
 */
export async function receive(scope: WriteScope, cmd: ReceiveCommand): Promise<ReceiptResult> {
  const { trx } = scope
  const supplier = await getPartyByCode(trx, cmd.supplier, 'supplier')
  const location = await getLocationByCode(trx, cmd.location)
  await assertInLocationScope(scope, [], [location.id])
  const occurredAt = cmd.receivedAt ? new Date(cmd.receivedAt).toISOString() : scope.now.toISOString()
  const reference = cmd.supplierRef ?? cmd.asn ?? cmd.po ?? null
  const data = { supplierRef: cmd.supplierRef, po: cmd.po, asn: cmd.asn }
  const receipt = await createDocument(trx, {
    type: 'receipt',
    number: cmd.number ?? { prefix: 'RCV', seq: scope.head.seq + 1 },
    partyId: supplier.id,
    locationId: location.id,
    reference,
    occurredAt,
    actor: scope.actor,
    data,
    createdAt: scope.now,
  })
  const writer = new EventWriter(trx, scope.head, {
    type: 'received',
    occurredAt,
    recordedAt: scope.now.toISOString(),
    actor: scope.actor,
    locationId: location.id,
    fromLocationId: null,
    reason: 'receiving',
    documentType: 'receipt',
    documentId: receipt.id,
    payload: { supplierId: supplier.id, supplierRef: cmd.supplierRef, po: cmd.po, asn: cmd.asn },
  })
  const issues = new IssueList()
  let quantity = 0
  let index = -1
  for await (const line of cmd.lines) {
    const field = `lines[${++index}]`
    const sku = await getSkuByCode(trx, line.sku)
    const lotId = await lotOf(trx, sku, line, field, issues, scope.now)
    const costMinor = line.unitCost !== undefined ? toMinor(line.unitCost) : sku.costMinor
    if (sku.tracking === 'serial') {
      if (line.quantity !== undefined)
        issues.add({
          field: `${field}.quantity`,
          message: `${sku.code} is serial-tracked: list serials, not a quantity`,
        })
      if (!line.units)
        issues.add({ field, message: `${sku.code} is serial-tracked: give serials, units, range or csv` })
      else await receiveSerials(writer, sku, line.units, { lotId, costMinor, field, issues })
    } else {
      if (line.units)
        issues.add({ field, message: `${sku.code} is ${sku.tracking}-tracked: give a quantity, not serials` })
      else if (line.quantity === undefined)
        issues.add({ field: `${field}.quantity`, message: `${sku.code} needs a quantity` })
      else if (issues.isEmpty) {
        quantity += line.quantity
        await writer.addQuantities([
          { skuId: sku.id, lotId, locationId: location.id, delta: line.quantity, costMinor, priceMinor: null },
        ])
      }
    }
  }
  issues.throwIfAny('receipt.invalid', `receipt ${receipt.number} refused, nothing was received`)
  const event = await writer.finish()
  const manifest = cmd.expected ? await checkManifest(trx, receipt.id, cmd.expected) : undefined
  return {
    receiptId: receipt.id,
    number: receipt.number,
    eventId: event.id,
    eventSeq: event.seq,
    unitCount: event.unitCount,
    quantity,
    manifest,
  }
}

async function lotOf(
  trx: Trx,
  sku: Sku,
  line: ReceiptLine,
  field: string,
  issues: IssueList,
  now: Date,
): Promise<string | null> {
  if (sku.tracking === 'lot' && !line.lot)
    issues.add({ field: `${field}.lot`, message: `${sku.code} is lot-tracked: the lot is required` })
  if (sku.tracking === 'quantity' && line.lot)
    issues.add({ field: `${field}.lot`, message: `${sku.code} is quantity-tracked: it has no lots` })
  if (!line.lot || sku.tracking === 'quantity') return null
  return findOrCreateLot(trx, sku.id, line.lot, line.lotExpiresOn ?? null, now)
}

interface SerialContext {
  lotId: string | null
  costMinor: number
  field: string
  issues: IssueList
}

/** Streams one line's serials into the event in batches; after the first bad row it only validates. */
async function receiveSerials(writer: EventWriter, sku: Sku, source: UnitSource, c: SerialContext): Promise<void> {
  const rule = serialRuleOf(sku)
  let batch: UnitLine[] = []
  for await (const raw of source()) {
    const line = toUnitLine(raw, sku, rule, c)
    if (!line || !c.issues.isEmpty) continue
    batch.push(line)
    if (batch.length >= FLUSH_EVERY) {
      await writer.addUnits(batch)
      batch = []
    }
  }
  if (c.issues.isEmpty) await writer.addUnits(batch)
}

function toUnitLine(
  raw: RawUnit,
  sku: Sku,
  rule: ReturnType<typeof serialRuleOf>,
  c: SerialContext,
): UnitLine | undefined {
  if (typeof raw.serial !== 'string') {
    c.issues.add({ row: raw.row, field: `${c.field}.serial`, message: 'serial is missing' })
    return undefined
  }
  const check = normalizeSerial(raw.serial, rule)
  if (!check.ok) {
    c.issues.add({ row: raw.row, field: `${c.field}.serial`, value: raw.serial, message: check.reason })
    return undefined
  }
  const attributes = identifiersOf(raw, sku, c)
  if (attributes === false) return undefined
  return {
    unitId: newId(),
    skuId: sku.id,
    serial: check.serial,
    lotId: c.lotId,
    costMinor: c.costMinor,
    priceMinor: null,
    attributes,
  }
}

/** Checks a unit's extra identifiers against the SKU's declared ones; false when any is bad. */
function identifiersOf(raw: RawUnit, sku: Sku, c: SerialContext): string | null | false {
  if (!raw.identifiers) return null
  const out: Record<string, string> = {}
  for (const [name, rawValue] of Object.entries(raw.identifiers)) {
    const rule = sku.identifiers.find((r) => r.name === name)
    const value = rawValue.trim()
    const bad = !rule
      ? `${sku.code} declares no identifier "${name}"`
      : !/^[\x21-\x7e]+$/.test(value)
        ? 'must be printable ASCII without spaces'
        : rule.pattern && !new RegExp(`^(?:${rule.pattern})$`).test(value)
          ? `does not match ${rule.pattern}`
          : undefined
    if (bad) {
      c.issues.add({ row: raw.row, field: `${c.field}.${name}`, value: rawValue, message: bad })
      return false
    }
    out[name] = value
  }
  return Object.keys(out).length ? JSON.stringify(Object.fromEntries(Object.entries(out).sort())) : null
}

/** Compares the received units with the supplier's manifest, in SQL so a large manifest stays cheap. */
async function checkManifest(
  trx: Trx,
  receiptId: string,
  expected: NonNullable<ReceiveRequest['expected']>,
): Promise<ReceiptResult['manifest']> {
  for (const group of expected) {
    const sku = await getSkuByCode(trx, group.sku)
    const rule = serialRuleOf(sku)
    const serials = [
      ...new Set(
        group.serials.map((s) => normalizeSerial(s, rule)).map((c, i) => (c.ok ? c.serial : group.serials[i]!.trim())),
      ),
    ]
    for (let i = 0; i < serials.length; i += 1000)
      await trx
        .insertInto('expected_serial')
        .values(serials.slice(i, i + 1000).map((serial) => ({ document_id: receiptId, sku_id: sku.id, serial })))
        .execute()
  }
  const missingQ = trx
    .selectFrom('expected_serial as e')
    .innerJoin('sku', 'sku.id', 'e.sku_id')
    .where('e.document_id', '=', receiptId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('unit as u')
            .select('u.id')
            .whereRef('u.sku_id', '=', 'e.sku_id')
            .whereRef('u.serial', '=', 'e.serial')
            .where('u.receipt_id', '=', receiptId),
        ),
      ),
    )
  const unexpectedQ = trx
    .selectFrom('unit as u')
    .innerJoin('sku', 'sku.id', 'u.sku_id')
    .where('u.receipt_id', '=', receiptId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('expected_serial as e')
            .select('e.serial')
            .whereRef('e.sku_id', '=', 'u.sku_id')
            .whereRef('e.serial', '=', 'u.serial')
            .where('e.document_id', '=', receiptId),
        ),
      ),
    )
  const count = sql<number>`count(*)`
  const [expectedCount, missingCount, unexpectedCount, missing, unexpected] = await Promise.all([
    trx
      .selectFrom('expected_serial')
      .select(count.as('n'))
      .where('document_id', '=', receiptId)
      .executeTakeFirstOrThrow(),
    missingQ.select(count.as('n')).executeTakeFirstOrThrow(),
    unexpectedQ.select(count.as('n')).executeTakeFirstOrThrow(),
    missingQ.select(['sku.code as sku', 'e.serial']).orderBy('e.serial').limit(MANIFEST_LIST_LIMIT).execute(),
    unexpectedQ.select(['sku.code as sku', 'u.serial']).orderBy('u.serial').limit(MANIFEST_LIST_LIMIT).execute(),
  ])
  return {
    expectedCount: Number(expectedCount.n),
    missingCount: Number(missingCount.n),
    unexpectedCount: Number(unexpectedCount.n),
    missing,
    unexpected,
  }
}

/**
 * After a receipt failed on the unique (sku, serial) key, finds every duplicate (serials already known
 * and serials repeated within the receipt) in a scratch temp table, so the user sees all of them at once.
 */
export async function explainDuplicates(
  ctx: AppContext,
  lines: Iterable<ReceiptLine> | AsyncIterable<ReceiptLine>,
): Promise<AppError> {
  const issues = new IssueList()
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await sql`create temporary table receipt_check (sku_id text not null, serial text not null, field text not null, row_no integer not null)`.execute(
      trx,
    )
    await sql`create index receipt_check_ix on receipt_check (sku_id, serial)`.execute(trx)
    let index = -1
    for await (const line of lines) {
      index++
      if (!line.units) continue
      const sku = await getSkuByCode(trx, line.sku)
      const rule = serialRuleOf(sku)
      let batch: { sku_id: string; serial: string; field: string; row_no: number }[] = []
      const flush = async () => {
        if (batch.length)
          await sql`insert into receipt_check (sku_id, serial, field, row_no) values ${sql.join(batch.map((b) => sql`(${b.sku_id}, ${b.serial}, ${b.field}, ${b.row_no})`))}`.execute(
            trx,
          )
        batch = []
      }
      for await (const raw of line.units()) {
        const check = normalizeSerial(raw.serial, rule)
        if (check.ok)
          batch.push({ sku_id: sku.id, serial: check.serial, field: `lines[${index}].serial`, row_no: raw.row })
        if (batch.length >= 500) await flush()
      }
      await flush()
    }
    await collectDuplicates(trx, issues)
    await sql`drop table receipt_check`.execute(trx)
  })
  if (issues.isEmpty) return new AppError('serial.duplicate', 'a serial in this receipt already exists')
  try {
    issues.throwIfAny('serial.duplicate', 'duplicate serials, nothing was received')
  } catch (e) {
    return e as AppError
  }
  return new AppError('serial.duplicate', 'duplicate serials')
}

/** `lines[12].serial` → 12, so line 10 sorts after line 9. */
const lineIndex = (field: string) => Number(/^lines\[(\d+)\]/.exec(field)?.[1] ?? 0)

async function collectDuplicates(trx: Executor, issues: IssueList): Promise<void> {
  const known = await sql<{ serial: string; field: string; row_no: number; code: string }>`
    select c.serial, c.field, c.row_no, s.code from receipt_check c
    join unit u on u.sku_id = c.sku_id and u.serial = c.serial
    join sku s on s.id = c.sku_id order by c.field, c.row_no`.execute(trx)
  const found: FieldIssue[] = known.rows.map((r) => ({
    row: Number(r.row_no),
    field: r.field,
    value: r.serial,
    message: `${r.code} ${r.serial} already exists`,
  }))
  // Every occurrence of a serial that appears more than once; the first one (in line, then row order)
  // is the original, each later one is reported pointing back at it.
  const repeated = await sql<{ sku_id: string; serial: string; field: string; row_no: number }>`
    select c.sku_id, c.serial, c.field, c.row_no from receipt_check c
    join (select sku_id, serial from receipt_check group by sku_id, serial having count(*) > 1) d
      on d.sku_id = c.sku_id and d.serial = c.serial`.execute(trx)
  const byLineThenRow = (a: { field: string; row_no: number }, b: { field: string; row_no: number }) =>
    lineIndex(a.field) - lineIndex(b.field) || a.row_no - b.row_no
  const groups = new Map<string, typeof repeated.rows>()
  for (const r of repeated.rows)
    groups.set(`${r.sku_id}|${r.serial}`, [...(groups.get(`${r.sku_id}|${r.serial}`) ?? []), r])
  for (const occurrences of groups.values()) {
    const [first, ...later] = occurrences.sort(byLineThenRow)
    const origin = (r: { field: string; row_no: number }) =>
      r.field === first!.field
        ? `row ${first!.row_no}`
        : `${first!.field.replace(/\.serial$/, '')} row ${first!.row_no}`
    for (const r of later)
      found.push({
        row: Number(r.row_no),
        field: r.field,
        value: r.serial,
        message: `${r.serial} is repeated in this receipt (first at ${origin(r)})`,
      })
  }
  found.sort((a, b) => lineIndex(a.field) - lineIndex(b.field) || a.row! - b.row!)
  for (const issue of found) issues.add(issue)
}
