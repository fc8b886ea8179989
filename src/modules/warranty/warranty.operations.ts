import { createHash, randomBytes } from 'node:crypto'
import type { Executor } from '../../db/database.js'
import { getPartyByCode } from '../parties/index.js'
import { defineOperation, loadLocation, loadUnits, stockOperation, writePlan } from '../operations/index.js'
import {
  type ClaimFacts,
  decideClaim,
  decideRepairReturn,
  decideTransfer,
  decideUnitTerm,
  decideVoid,
  planWarrantyEvent,
} from './claims.rules.js'
import { loadUnit, warrantyOf } from './warranty.queries.js'
import {
  ClaimRequest,
  ClaimResult,
  RepairReturnRequest,
  RotatedToken,
  RotateTokenRequest,
  TransferRequest,
  UnitTermRequest,
  VoidRequest,
} from './warranty.schemas.js'

/** A unit with what its warranty is decided on (the status itself is computed at the command's time). */
async function loadWarranty(trx: Executor, serial: string, sku: string | undefined) {
  const unit = await loadUnit(trx, serial, sku)
  const w = await warrantyOf(trx, unit.id, new Date().toISOString())
  return { unit, warranty: w.facts, owner: w.owner }
}

/** Records a warranty claim and its outcome: repair, replacement, refund or rejection. */
export const claimWarranty = defineOperation({
  name: 'claimWarranty',
  url: '/warranty/claims',
  summary: 'Record a warranty claim, checked against the buyer, with its outcome (repair, replace, refund, reject)',
  tag: 'warranty',
  policy: 'stock.operate',
  body: ClaimRequest,
  response: ClaimResult,
  events: ['warranty_claimed', 'repair_started', 'returned', 'sold'],
  document: 'warranty_claim',
  bodyLimit: 64 * 1024,
  load: async (trx, cmd): Promise<ClaimFacts> => ({
    ...(await loadWarranty(trx, cmd.serial, cmd.sku)),
    location: await loadLocation(trx, cmd.location),
    replacement: cmd.replacement ? await loadUnit(trx, cmd.replacement, cmd.sku) : undefined,
  }),
  decide: decideClaim,
  write: async (scope, plan): Promise<ClaimResult> => {
    const [first, ...rest] = plan.plans
    const claim = await writePlan(scope, first!)
    const seqs = [claim.eventSeq]
    for (const p of rest) {
      const document = { type: 'warranty_claim' as const, existingId: claim.documentId, number: claim.number }
      const payload = p.type === 'sold' ? { ...p.payload, orderRef: claim.number, claim: claim.number } : p.payload
      seqs.push((await writePlan(scope, { ...p, document, payload: { ...payload, claim: claim.number } })).eventSeq)
    }
    return {
      number: claim.number,
      documentId: claim.documentId,
      outcome: plan.outcome,
      eventSeqs: seqs,
      matchedBy: plan.matchedBy,
      replacementEndsOn: plan.replacementEndsOn,
      supplierCovered: plan.supplierCovered,
    }
  },
})

/** Voids a unit's warranty (damage, tampering): a manager's act, with its reason on the event. */
export const voidWarranty = stockOperation({
  name: 'voidWarranty',
  url: '/warranty/voids',
  summary: "Void a unit's warranty (damage, tampering); needs a manager and a reason",
  tag: 'warranty',
  policy: 'stock.adjust',
  body: VoidRequest,
  events: ['warranty_voided'],
  document: 'warranty_claim',
  bodyLimit: 64 * 1024,
  load: (trx, cmd) => loadWarranty(trx, cmd.serial, cmd.sku),
  decide: decideVoid,
})

/** Hands a unit's warranty from its owner (checked like a claimant) to a new customer. */
export const transferWarranty = stockOperation({
  name: 'transferWarranty',
  url: '/warranty/transfers',
  summary: "Hand a unit's warranty to a new owner (the current owner is checked like a claimant)",
  tag: 'warranty',
  policy: 'stock.operate',
  body: TransferRequest,
  events: ['warranty_transferred'],
  document: 'warranty_claim',
  bodyLimit: 64 * 1024,
  load: async (trx, cmd) => ({
    ...(await loadWarranty(trx, cmd.serial, cmd.sku)),
    to: await getPartyByCode(trx, cmd.to, 'customer'),
  }),
  decide: decideTransfer,
})

/** Gives units a warranty term of their own (a promotion, refurbished units). */
export const setUnitWarranty = stockOperation({
  name: 'setUnitWarranty',
  url: '/warranty/unit-terms',
  summary: 'Give units a warranty term of their own (promotion, refurbished, open-box)',
  tag: 'warranty',
  policy: 'catalog.write',
  body: UnitTermRequest,
  events: ['warranty_term_set'],
  document: 'warranty_claim',
  load: async (trx, cmd) => ({ units: await loadUnits(trx, cmd.units) }),
  decide: decideUnitTerm,
})

/** Hands repaired units back to their customers (`in_repair` → `sold`). */
export const returnRepair = stockOperation({
  name: 'returnRepair',
  url: '/warranty/repairs/return',
  summary: 'Hand repaired units back to their customers',
  tag: 'warranty',
  policy: 'stock.operate',
  body: RepairReturnRequest,
  events: ['repair_returned'],
  document: 'warranty_claim',
  load: async (trx, cmd) => ({ units: await loadUnits(trx, cmd.units) }),
  decide: decideRepairReturn,
})

/** SHA-256 of a public-check token: what is stored and put on the ledger (never the token). */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex')

/** Issues a unit a new public-check token (its QR code), revoking the old one. */
export const rotateCheckToken = defineOperation({
  name: 'rotateCheckToken',
  url: '/warranty/check-tokens',
  summary: 'Issue a unit a new public-check token (for its QR label); the previous one stops working',
  tag: 'warranty',
  policy: 'stock.operate',
  body: RotateTokenRequest,
  response: RotatedToken,
  events: ['warranty_token_rotated'],
  document: 'warranty_claim',
  bodyLimit: 64 * 1024,
  load: async (trx, cmd) => ({ unit: await loadUnit(trx, cmd.serial, cmd.sku) }),
  decide: (_cmd, f, ctx) =>
    planWarrantyEvent(ctx, {
      type: 'warranty_token_rotated',
      document: { type: 'warranty_claim', prefix: 'TOK' },
      reason: 'public-check token issued',
      occurredAt: ctx.now.toISOString(),
      payload: {},
      units: [f.unit],
    }),
  write: async (scope, plan) => {
    const token = randomBytes(18).toString('base64url')
    const hash = tokenHash(token)
    const result = await writePlan(scope, { ...plan, payload: { tokenHash: hash } })
    const unitId = plan.units[0]!.unit.id
    const now = scope.now.toISOString()
    await scope.trx
      .updateTable('public_check_token')
      .set({ revoked_at: now })
      .where('unit_id', '=', unitId)
      .where('revoked_at', 'is', null)
      .execute()
    await scope.trx
      .insertInto('public_check_token')
      .values({ token_hash: hash, unit_id: unitId, created_at: now, revoked_at: null })
      .execute()
    return { token, url: `/check/${token}`, eventSeq: result.eventSeq }
  },
})
