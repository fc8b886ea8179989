import { sql } from 'kysely'
import type { AppContext, WriteScope } from '../../core/context.js'
import { AppError, type FieldIssue, IssueList } from '../../core/errors.js'
import { newId } from '../../core/ids.js'
import type { Executor, Trx } from '../../db/database.js'
import { getSkuByCode, normalizeSerial, type SerialRule, serialRuleOf, type Sku } from '../catalog/index.js'
import { createDocument } from '../documents/index.js'
import { EventWriter, type UnitLine } from '../ledger/index.js'
import { findOrCreateLot } from '../lots/index.js'
import { beforeLatestEvent, type DecideContext } from '../operations/operations.rules.js'
import { loadActiveLocation, loadParty, loadSku } from '../operations/index.js'
import { holdArrivals } from '../quality/index.js'
import { findLatestStockEvent } from '../stock/index.js'
import {
  decideReceiptHeader,
  decideReceiptLine,
  decideReceivedSerial,
  gtinCandidate,
  isIssue,
  type OtherSkuUnit,
  otherSkuIssue,
  productBarcodeIssue,
  type ReceivedRow,
  type ReceiptHeaderFacts,
  type ReceiptPlan,
} from './receive.rules.js'
import type { ReceiptResult, ReceiveRequest } from './receiving.schemas.js'
import { IdentifierCheck } from './identifier-clashes.js'
import { type UnitSource, unitSourceOf } from './unit-sources.js'
import { nextEventSeq } from '../../db/transaction.js'

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

/** A validated request as a receipt command whose serials are read lazily (list, range or CSV). */
export function receiveCommandOf(req: ReceiveRequest): ReceiveCommand {
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

/** Reads only: the receipt's supplier and location. */
export async function loadReceiptHeader(
  trx: Executor,
  cmd: { supplier: string; location: string },
): Promise<ReceiptHeaderFacts> {
  return {
    supplier: await loadParty(trx, cmd.supplier, 'supplier'),
    location: await loadActiveLocation(trx, cmd.location),
  }
}

/**
 * Receives a delivery as one ledger event (load, decide and write in one, for the CSV import that
 * streams its lines): see `writeReceipt`.
 */
export async function applyReceipt(scope: WriteScope, cmd: ReceiveCommand): Promise<ReceiptResult> {
  const ctx: DecideContext = { now: scope.now, actor: scope.actor, locationScope: scope.locationScope }
  const plan = decideReceiptHeader(cmd, await loadReceiptHeader(scope.trx, cmd), ctx)
  return writeReceipt(scope, plan, cmd)
}

/**
 * Writes a decided receipt: the document, then each line as it comes (its SKU loaded, checked by the
 * line rules, its lot created on first use, its serials streamed through the serial rules in batches),
 * then the event header. Any refused line or serial refuses the whole receipt (the caller's transaction
 * rolls back), with every bad row named; after the first one, the rest is only checked.
 */
export async function writeReceipt(scope: WriteScope, plan: ReceiptPlan, cmd: ReceiveCommand): Promise<ReceiptResult> {
  const { trx } = scope
  const receipt = await createDocument(trx, {
    type: 'receipt',
    number: plan.number ?? { prefix: 'RCV', seq: await nextEventSeq(trx, scope.head) },
    partyId: plan.supplierId,
    locationId: plan.location.id,
    reference: plan.reference,
    occurredAt: plan.occurredAt,
    actor: scope.actor,
    data: plan.data,
    createdAt: scope.now,
  })
  const writer = await EventWriter.start(trx, scope.head, {
    type: 'received',
    occurredAt: plan.occurredAt,
    recordedAt: scope.now.toISOString(),
    actor: scope.actor,
    locationId: plan.location.id,
    fromLocationId: null,
    reason: 'receiving',
    documentType: 'receipt',
    documentId: receipt.id,
    payload: { supplierId: plan.supplierId, ...plan.data },
  })
  const issues = new IssueList()
  const tooEarly = new IssueList()
  const anyUniqueSku = await hasSkuWithUniqueSerials(trx)
  let quantity = 0
  let index = -1
  for await (const line of cmd.lines) {
    const field = `lines[${++index}]`
    const sku = await loadSku(trx, line.sku)
    const decided = decideReceiptLine({ ...line, hasUnits: line.units !== undefined }, sku, field, issues)
    const lotId = decided.lot
      ? await findOrCreateLot(trx, sku.id, decided.lot, line.lotExpiresOn ?? null, scope.now)
      : null
    const at = { trx, lotId, costMinor: decided.costMinor, field, issues, anyUniqueSku }
    if (decided.kind === 'serials') await receiveSerials(writer, sku, line.units!, at)
    else if (decided.kind === 'quantity' && issues.isEmpty) {
      const latest = await findLatestStockEvent(trx, { skuId: sku.id, locationId: plan.location.id, lotId })
      const refusal = beforeLatestEvent('received', plan.occurredAt, latest)
      if (refusal) tooEarly.add({ field, value: sku.code, message: `${sku.code} at ${plan.location.code}: ${refusal}` })
      quantity += line.quantity!
      const delta = line.quantity!
      await writer.addQuantities([
        { skuId: sku.id, lotId, locationId: plan.location.id, delta, costMinor: decided.costMinor, priceMinor: null },
      ])
    }
  }
  issues.throwIfAny('receipt.invalid', `receipt ${receipt.number} refused, nothing was received`)
  tooEarly.throwIfAny('time.before_latest_event', `receipt ${receipt.number} refused, nothing was received`)
  const event = await writer.finish()
  const manifest = cmd.expected ? await checkManifest(trx, receipt.id, cmd.expected) : undefined
  // Units an open recall covers are quarantined at once, one event per recall, naming it to the clerk.
  const held =
    event.unitCount > 0 ? await holdArrivals(scope, 'receiving', plan.occurredAt, { receiptId: receipt.id }) : []
  return {
    receiptId: receipt.id,
    number: receipt.number,
    eventId: event.id,
    eventSeq: event.seq,
    unitCount: event.unitCount,
    quantity,
    manifest,
    ...(held.length > 0 ? { quarantined: held } : {}),
  }
}

interface SerialContext {
  trx: Trx
  lotId: string | null
  costMinor: number
  field: string
  issues: IssueList
  /** Whether any SKU keeps its serials unique across all SKUs (else only this line's SKU can). */
  anyUniqueSku: boolean
}

/**
 * Streams one line's serials into the event in batches; after the first bad row it only validates.
 * Each batch is first checked against the other SKUs (a product barcode, another SKU's unique serial).
 */
async function receiveSerials(writer: EventWriter, sku: Sku, source: UnitSource, c: SerialContext): Promise<void> {
  const rule: SerialRule = serialRuleOf(sku)
  let batch: UnitLine[] = []
  let rows: ReceivedRow[] = []
  const flush = async () => {
    await refuseClashes(sku, rows, c)
    if (c.issues.isEmpty) await writer.addUnits(batch)
    batch = []
    rows = []
  }
  for await (const raw of source()) {
    const decided = decideReceivedSerial(raw, sku, rule, c.field)
    if (isIssue(decided)) {
      c.issues.add(decided)
      continue
    }
    rows.push({ serial: decided.serial, row: raw.row, raw: raw.serial })
    if (c.issues.isEmpty)
      batch.push({
        unitId: newId(),
        skuId: sku.id,
        lotId: c.lotId,
        costMinor: c.costMinor,
        priceMinor: null,
        ...decided,
      })
    if (rows.length >= FLUSH_EVERY) await flush()
  }
  await flush()
}

/** Whether any SKU keeps its serials unique across all SKUs (then every receipt checks against its units). */
async function hasSkuWithUniqueSerials(trx: Executor): Promise<boolean> {
  const row = await trx.selectFrom('sku').select('id').where('serials_unique', '=', 1).limit(1).executeTakeFirst()
  return row !== undefined
}

/**
 * Refuses the serials of a batch that are a SKU's product barcode (GTIN), and those a unit of another
 * SKU already has when either SKU keeps serials unique across SKUs; one query each, only when needed.
 */
async function refuseClashes(sku: Sku, rows: readonly ReceivedRow[], c: SerialContext): Promise<void> {
  if (rows.length === 0) return
  const gtins = new Map<string, ReceivedRow[]>()
  for (const r of rows) {
    const g = gtinCandidate(r.serial)
    if (g) gtins.set(g, [...(gtins.get(g) ?? []), r])
  }
  if (gtins.size > 0) {
    const owners = await c.trx
      .selectFrom('sku')
      .select(['code', 'gtin'])
      .where('gtin', 'in', [...gtins.keys()])
      .execute()
    for (const o of owners) for (const r of gtins.get(o.gtin!) ?? []) c.issues.add(productBarcodeIssue(r, c.field, o))
  }
  if (!sku.serialsUniqueAcrossSkus && !c.anyUniqueSku) return
  const candidates = [...new Set(rows.flatMap((r) => [r.serial, r.serial.toUpperCase(), r.serial.toLowerCase()]))]
  let q = c.trx
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    .leftJoin('location as l', 'l.id', 'u.location_id')
    .select(['u.serial', 's.code', 's.serials_unique', 'u.status', 'l.code as loc'])
    .where('u.serial', 'in', candidates)
    .where('u.sku_id', '<>', sku.id)
  if (!sku.serialsUniqueAcrossSkus) q = q.where('s.serials_unique', '=', 1)
  const others = new Map<string, OtherSkuUnit>()
  for (const o of await q.execute())
    others.set(o.serial.toUpperCase(), {
      serial: o.serial,
      skuCode: o.code,
      serialsUniqueAcrossSkus: Number(o.serials_unique) === 1,
      status: o.status,
      locationCode: o.loc,
    })
  for (const r of rows) {
    const other = others.get(r.serial.toUpperCase())
    const issue = other && otherSkuIssue(r, c.field, sku, other)
    if (issue) c.issues.add(issue)
  }
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
 * After a receipt failed on a unique key (sku, serial) or (identifier name, value), which names only the
 * first clash, finds every one (serials and unique identifiers already known, and those repeated within
 * the receipt) in scratch temp tables, so the user sees all of them at once, each with its row.
 */
export async function explainDuplicates(
  ctx: AppContext,
  lines: Iterable<ReceiptLine> | AsyncIterable<ReceiptLine>,
): Promise<AppError> {
  const serials = new IssueList()
  let identifiers: FieldIssue[] = []
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await sql`
      create temporary table receipt_check (
        sku_id text not null,
        serial text not null,
        field text not null,
        row_no integer not null
      )
    `.execute(trx)
    await sql`create index receipt_check_ix on receipt_check (sku_id, serial)`.execute(trx)
    const identifierCheck = await IdentifierCheck.start(trx)
    let index = -1
    for await (const line of lines) {
      index++
      if (!line.units) continue
      const sku = await getSkuByCode(trx, line.sku)
      const rule = serialRuleOf(sku)
      let batch: { sku_id: string; serial: string; field: string; row_no: number }[] = []
      const flush = async () => {
        if (batch.length)
          await sql`
            insert into receipt_check (sku_id, serial, field, row_no)
            values ${sql.join(batch.map((b) => sql`(${b.sku_id}, ${b.serial}, ${b.field}, ${b.row_no})`))}
          `.execute(trx)
        batch = []
      }
      for await (const raw of line.units()) {
        const check = normalizeSerial(raw.serial, rule)
        if (check.ok)
          batch.push({ sku_id: sku.id, serial: check.serial, field: `lines[${index}].serial`, row_no: raw.row })
        await identifierCheck.add(sku, index, raw, check.ok ? check.serial : raw.serial)
        if (batch.length >= 500) await flush()
      }
      await flush()
    }
    await collectDuplicates(trx, serials)
    await sql`drop table receipt_check`.execute(trx)
    identifiers = await identifierCheck.finish()
  })
  if (serials.isEmpty && identifiers.length === 0)
    return new AppError('serial.duplicate', 'a serial or identifier in this receipt already exists')
  const all = new IssueList()
  const byLineThenRow = (a: FieldIssue, b: FieldIssue) =>
    lineIndex(a.field) - lineIndex(b.field) || (a.row ?? 0) - (b.row ?? 0)
  for (const issue of [...serials.items, ...identifiers].sort(byLineThenRow)) all.add(issue)
  all.total += serials.total - serials.items.length
  const [code, what] = serials.isEmpty
    ? (['identifier.duplicate', 'identifiers already in use, nothing was received'] as const)
    : identifiers.length === 0
      ? (['serial.duplicate', 'duplicate serials, nothing was received'] as const)
      : (['serial.duplicate', 'duplicate serials and identifiers, nothing was received'] as const)
  try {
    all.throwIfAny(code, what)
  } catch (e) {
    return e as AppError
  }
  return new AppError(code, what)
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
