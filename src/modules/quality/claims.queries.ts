import { sql } from 'kysely'
import { AppError } from '../../core/errors.js'
import type { Db } from '../../db/connect.js'
import type { Executor } from '../../db/database.js'
import { rowsForKeys } from '../../db/lookups.js'
import { fromMinor } from '../../core/money.js'
import { exportUnitPack } from '../proofs/index.js'
import { awaitSequenced, PENDING_HASH } from '../ledger/index.js'
import type { ClaimFact, ClaimStatus } from './quality.rules.js'
import { getPartyByCode } from '../parties/index.js'
import { referenceOf } from '../units/index.js'
import type { ClaimListQuery, ClaimPack, ClaimPage, ClaimView, UnitEvidence } from './quality.schemas.js'
import { instant } from './recall.queries.js'

/**
 * A claim's current status in SQL (over `document as d`): its latest status change, or open. One probe of
 * the event type index per claim row.
 */
const claimStatus = sql<ClaimStatus>`coalesce((select s.reason from event s where s.document_id = d.id
  and s.type = 'claim_status_changed' order by s.seq desc limit 1), 'open')`

/** A claim by number: its supplier, its units (from its `claim_opened` lines) and its current status. */
export async function getClaim(db: Executor, number: string): Promise<ClaimFact> {
  const doc = await db
    .selectFrom('document as d')
    .select(['d.id', 'd.number', 'd.party_id', claimStatus.as('status')])
    .where('d.type', '=', sql.lit('claim'))
    .where('d.number', '=', number)
    .executeTakeFirstOrThrow(() => new AppError('claim.not_found', `no claim ${number}`))
  const opened = await db
    .selectFrom('event')
    .select('seq')
    .where('document_id', '=', doc.id)
    .where('type', '=', sql.lit('claim_opened'))
    .executeTakeFirstOrThrow()
  const units = await db
    .selectFrom('event_unit')
    .select('unit_id')
    .where('event_seq', '=', opened.seq)
    .orderBy('line_no')
    .execute()
  return {
    id: doc.id,
    number: doc.number,
    supplierId: doc.party_id!,
    status: doc.status,
    unitIds: units.map((u) => u.unit_id),
  }
}

/** A claim's credit, from the payload of its `credited` status change. */
const creditOf = (payload: string) => {
  const p = JSON.parse(payload) as { creditedAmountMinor: number | null; creditNote: string | null }
  return {
    creditedAmount: p.creditedAmountMinor != null ? fromMinor(p.creditedAmountMinor) : null,
    creditNote: p.creditNote ?? null,
  }
}

const NO_CREDIT = { creditedAmount: null, creditNote: null }

/** The id of a claims-list cursor (a UUIDv7), then the opening instant. */
const ID_WIDTH = 36

/**
 * Claims newest opened first (then newest recorded: ids are UUIDv7), filtered by current status,
 * supplier and opening date, a page at a time with a keyset cursor on (opened, id). A claim's status is
 * its latest status change (open without one), worked out in SQL so a status filter pages like the others.
 */
export async function listClaims(db: Executor, q: ClaimListQuery): Promise<ClaimPage> {
  let query = db
    .selectFrom('document as d')
    .innerJoin('party as p', 'p.id', 'd.party_id')
    .innerJoin('event as o', (j) => j.onRef('o.document_id', '=', 'd.id').on('o.type', '=', 'claim_opened'))
    .select(['d.id', 'd.number', 'd.reference', 'd.occurred_at', 'p.code', 'p.name', 'o.reason', 'o.unit_count'])
    .select((eb) => [
      claimStatus.as('status'),
      eb
        .selectFrom('event as r')
        .select((r) => r.fn.sum<number>('r.unit_count').as('n'))
        .whereRef('r.document_id', '=', 'd.id')
        .where('r.type', '=', sql.lit('returned_to_vendor'))
        .as('shipped'),
    ])
    .where('d.type', '=', sql.lit('claim'))
  if (q.status) query = query.where(claimStatus, '=', q.status)
  if (q.supplier) query = query.where('d.party_id', '=', (await getPartyByCode(db, q.supplier, 'supplier')).id)
  if (q.openedFrom) query = query.where('d.occurred_at', '>=', instant(q.openedFrom)!)
  if (q.openedTo) query = query.where('d.occurred_at', '<', instant(q.openedTo)!)
  if (q.cursor) {
    const [id, at] = [q.cursor.slice(0, ID_WIDTH), q.cursor.slice(ID_WIDTH)]
    query = query.where((eb) =>
      eb.or([eb('d.occurred_at', '<', at), eb.and([eb('d.occurred_at', '=', at), eb('d.id', '<', id)])]),
    )
  }
  const rows = await query
    .orderBy('d.occurred_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(q.limit + 1)
    .execute()
  const page = rows.slice(0, q.limit)
  const credited = page.filter((r) => r.status === 'credited').map((r) => r.id)
  const credits = new Map(
    credited.length
      ? (
          await db
            .selectFrom('event')
            .select(['document_id', 'payload'])
            .where('type', '=', sql.lit('claim_status_changed'))
            .where('reason', '=', 'credited')
            .where('document_id', 'in', credited)
            .execute()
        ).map((e) => [e.document_id!, creditOf(e.payload)])
      : [],
  )
  const last = page[page.length - 1]
  return {
    items: page.map((r) => ({
      number: r.number,
      status: r.status,
      supplier: { code: r.code, name: r.name },
      reference: r.reference,
      reason: r.reason,
      openedAt: r.occurred_at,
      units: Number(r.unit_count),
      shippedUnits: Number(r.shipped ?? 0),
      ...(credits.get(r.id) ?? NO_CREDIT),
    })),
    nextCursor: rows.length > q.limit && last ? last.id + last.occurred_at : null,
  }
}

/** The claim's page: supplier, units and where they are, its status history and any credit. */
export async function claimView(db: Executor, number: string): Promise<ClaimView> {
  const claim = await getClaim(db, number)
  const doc = await db
    .selectFrom('document as d')
    .innerJoin('party as p', 'p.id', 'd.party_id')
    .select(['d.reference', 'd.occurred_at', 'p.code', 'p.name'])
    .where('d.id', '=', claim.id)
    .executeTakeFirstOrThrow()
  const events = await db
    .selectFrom('event')
    .select(['type', 'reason', 'occurred_at', 'actor', 'payload'])
    .where('document_id', '=', claim.id)
    .orderBy('seq')
    .execute()
  const units = await rowsForKeys(claim.unitIds, (ids) =>
    db
      .selectFrom('unit as u')
      .innerJoin('sku as s', 's.id', 'u.sku_id')
      .select(['u.serial', 's.code', 'u.status'])
      .where('u.id', 'in', ids)
      .orderBy('u.serial')
      .execute(),
  )
  const changes = events.filter((e) => e.type === 'claim_status_changed')
  const credit = changes.find((e) => e.reason === 'credited')
  return {
    number: claim.number,
    status: claim.status,
    supplier: { code: doc.code, name: doc.name },
    reference: doc.reference,
    reason: events[0]?.reason ?? null,
    openedAt: doc.occurred_at,
    ...(credit ? creditOf(credit.payload) : NO_CREDIT),
    units: units.map((u) => ({ serial: u.serial, sku: u.code, status: u.status })),
    history: [
      { status: 'open', at: doc.occurred_at, actor: events[0]?.actor ?? '', note: events[0]?.reason ?? null },
      ...changes.map((e) => ({
        status: e.reason ?? '',
        at: e.occurred_at,
        actor: e.actor,
        note: (JSON.parse(e.payload) as { note: string | null }).note,
      })),
    ],
  }
}

interface InspectionPayload {
  inspection?: {
    stage: string
    result: string
    defectCodes: string[]
    notes: string | null
    attachments: { sha256: string; name: string; contentType: string; size: number }[]
  }
}

/**
 * One unit's evidence: the receipt it arrived in, its full timeline with each event's hash and chain
 * link, its inspections, and the ledger's inclusion proofs (the proofs module's pack) when a signed
 * checkpoint covers its events.
 */
export async function unitEvidence(db: Db, unitId: string, now: Date): Promise<UnitEvidence> {
  const k = db.kysely
  const u = await k
    .selectFrom('unit as u')
    .innerJoin('sku as s', 's.id', 'u.sku_id')
    // The receipt and the supplier by key, never a merge join (see the units module's unitViews).
    .leftJoin('document as r', (j) => j.on('r.id', '=', referenceOf(k, unitId, 'receipt_id')))
    .leftJoin('party as p', (j) => j.on('p.id', '=', referenceOf(k, unitId, 'supplier_id')))
    .leftJoin('lot as l', 'l.id', 'u.lot_id')
    .select(['u.serial', 's.code as sku', 'u.cost_minor', 'u.received_at', 'l.code as lot'])
    .select(['r.number as receipt', 'r.reference', 'r.data as receipt_data', 'p.code as supplier', 'p.name'])
    .where('u.id', '=', unitId)
    .executeTakeFirstOrThrow()
  const data = JSON.parse(u.receipt_data ?? '{}') as { supplierRef?: string; po?: string; asn?: string }
  await awaitSequenced(db)
  const events = await k
    .selectFrom('event_unit as eu')
    .innerJoin('event as e', 'e.seq', 'eu.event_seq')
    .leftJoin('location as l', 'l.id', 'e.location_id')
    .leftJoin('document as d', 'd.id', 'e.document_id')
    .select(['e.seq', 'e.type', 'e.occurred_at', 'e.actor', 'l.code as location', 'd.number', 'e.reason'])
    .select(['e.hash', 'e.prev_hash', 'e.payload'])
    .where('eu.unit_id', '=', unitId)
    .orderBy('e.seq')
    .execute()
  let proof: unknown = null
  let proofNote: string | null = null
  try {
    proof = await exportUnitPack(db, u.serial, u.sku, now)
  } catch (e) {
    if (!(e instanceof AppError) || !e.code.startsWith('proof.')) throw e
    proofNote = e.message
  }
  return {
    serial: u.serial,
    sku: u.sku,
    receipt: {
      number: u.receipt ?? '',
      supplier: u.supplier ?? '',
      supplierName: u.name ?? '',
      supplierReference: data.supplierRef ?? u.reference,
      purchaseOrder: data.po ?? null,
      asn: data.asn ?? null,
      receivedAt: u.received_at,
      lot: u.lot,
      unitCost: u.cost_minor === null ? null : fromMinor(Number(u.cost_minor)),
    },
    timeline: events.map((e) => ({
      seq: Number(e.seq),
      type: e.type,
      occurredAt: e.occurred_at,
      actor: e.actor,
      location: e.location,
      document: e.number,
      reason: e.reason,
      hash: e.hash ?? PENDING_HASH,
      prevHash: e.prev_hash ?? PENDING_HASH,
    })),
    inspections: events.flatMap((e) => {
      const i = (JSON.parse(e.payload) as InspectionPayload).inspection
      return i
        ? [
            {
              seq: Number(e.seq),
              at: e.occurred_at,
              stage: i.stage,
              result: i.result,
              defectCodes: i.defectCodes,
              notes: i.notes,
              attachments: i.attachments,
            },
          ]
        : []
    }),
    proof,
    proofNote,
  }
}

/** A claim's evidence pack (JSON for a system): the claim and each unit's evidence. */
export async function claimPack(db: Db, number: string, now: Date): Promise<ClaimPack> {
  const claim = await getClaim(db.kysely, number)
  const units: UnitEvidence[] = []
  for (const id of claim.unitIds) units.push(await unitEvidence(db, id, now))
  return { claim: await claimView(db.kysely, number), exportedAt: now.toISOString(), units }
}
