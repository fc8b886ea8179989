import { z } from 'zod'
import { code, money } from '../catalog/catalog.schemas.js'
import { reason, serial, units, when } from '../operations/operations.schemas.js'
import { REPLACEMENT_RULES, WARRANTY_STARTS } from './warranty.rules.js'

const months = z.number().int().min(0).max(600)
const isoDay = z.iso.date()
const label = z.string().trim().min(1).max(120)

export const SaleDateTermSchema = z
  .object({
    soldFrom: isoDay.describe('first sale day the term applies to'),
    soldBefore: isoDay.optional().describe('day it stops applying (exclusive); open-ended when absent'),
    stage: z.string().trim().min(1).max(40).optional().describe('life-cycle stage it applies to (when known)'),
    months: months.describe('warranty months for units sold then'),
    label: label.describe('what the term is called: "launch", "end of life"'),
  })
  .strict()
  .meta({ id: 'SaleDateTerm' })

export const WarrantyPolicyRequest = z
  .object({
    months: months.optional().describe("customer warranty months; the SKU's warranty months when omitted"),
    startsAt: z.enum(WARRANTY_STARTS).default('sale').describe('whether the term starts at sale or at our receipt'),
    coverage: z.string().trim().max(2000).optional().describe('what the warranty covers, in words'),
    termsBySaleDate: z.array(SaleDateTermSchema).max(50).default([]).describe('terms by sale date (or stage)'),
    replacementRule: z.enum(REPLACEMENT_RULES).default('remaining').describe("a replacement's warranty rule"),
    replacementMinDays: z.number().int().min(0).max(3650).default(0).describe('N of "remaining or N days"'),
    supplierMonths: months.default(0).describe("the supplier's warranty to us, months"),
    supplierStartsAt: z.enum(WARRANTY_STARTS).default('receipt').describe("where the supplier's warranty starts"),
    publicCheck: z.boolean().default(true).describe('whether the public authenticity check answers for this SKU'),
  })
  .strict()
  .meta({ id: 'WarrantyPolicyRequest' })
export type WarrantyPolicyRequest = z.infer<typeof WarrantyPolicyRequest>

export const WarrantyPolicyView = z
  .object({
    sku: z.string(),
    months: z.number(),
    startsAt: z.enum(WARRANTY_STARTS),
    coverage: z.string().nullable(),
    termsBySaleDate: z.array(SaleDateTermSchema),
    replacementRule: z.enum(REPLACEMENT_RULES),
    replacementMinDays: z.number(),
    supplierMonths: z.number(),
    supplierStartsAt: z.enum(WARRANTY_STARTS),
    publicCheck: z.boolean(),
    isDefault: z.boolean().describe('true when the SKU has no policy of its own (its warranty months apply)'),
  })
  .meta({ id: 'WarrantyPolicyView' })

export const LotTermRequest = z
  .object({ months, label: label.describe('why this lot differs: "promotion", "refurbished batch"') })
  .strict()
  .meta({ id: 'LotTermRequest' })
export const SkuLotParams = z.object({ sku: code('SKU'), lot: z.string().min(1).max(64) })
export const SkuParam = z.object({ sku: code('SKU') })
export const SerialParam = z.object({ serial })

export const WarrantyLookupQuery = z
  .object({ sku: code('SKU').optional().describe('the SKU, when the serial exists for two') })
  .strict()

export const EffectiveWarrantySchema = z
  .object({
    status: z.enum(['in_warranty', 'expired', 'not_sold', 'void', 'none']),
    rule: z.enum(['sku_policy', 'sale_date_term', 'lot_override', 'unit_override', 'replacement']),
    months: z.number(),
    extendedMonths: z.number(),
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    explanation: z.array(z.string()),
  })
  .meta({ id: 'EffectiveWarranty' })

export const ClaimHistoryEntry = z.object({
  seq: z.number(),
  type: z.string(),
  occurredAt: z.string(),
  actor: z.string(),
  document: z.string().nullable(),
  outcome: z.string().nullable(),
  reason: z.string().nullable(),
})

export const WarrantyLookup = z
  .object({
    serial: z.string(),
    sku: z.object({ code: z.string(), name: z.string() }),
    unitStatus: z.string(),
    soldAt: z.string().nullable(),
    warranty: EffectiveWarrantySchema,
    supplier: z.object({
      code: z.string().nullable(),
      months: z.number(),
      endsOn: z.string().nullable(),
      covered: z.boolean().describe('whether the cost can be passed back to the supplier'),
    }),
    owner: z
      .object({ code: z.string(), name: z.string(), transferred: z.boolean() })
      .nullable()
      .describe('the recorded owner (staff only)'),
    orderRef: z.string().nullable(),
    coverage: z.string().nullable(),
    history: z.array(ClaimHistoryEntry).describe('claims, repairs, voids, transfers and terms, oldest first'),
    cloneSignals: z.array(z.string()).describe('signs the public-check label was copied'),
  })
  .meta({ id: 'WarrantyLookup' })
export type WarrantyLookup = z.infer<typeof WarrantyLookup>

export const ClaimantSchema = z
  .object({
    customer: code('customer').optional().describe('customer code of the claimant'),
    orderRef: z.string().trim().min(1).max(120).optional().describe('order or receipt number of the purchase'),
    email: z.string().trim().min(3).max(200).optional().describe('e-mail (compared case-insensitively)'),
    phone: z.string().trim().min(6).max(40).optional().describe('phone (compared by its digits)'),
  })
  .strict()
  .meta({ id: 'Claimant' })

export const CLAIM_OUTCOMES = ['repair', 'replace', 'refund', 'reject'] as const
export type ClaimOutcome = (typeof CLAIM_OUTCOMES)[number]

export const ClaimRequest = z
  .object({
    serial,
    sku: code('SKU').optional(),
    claimant: ClaimantSchema,
    outcome: z.enum(CLAIM_OUTCOMES),
    location: code('location').optional().describe('where the unit goes (repair bench, returns shelf)'),
    replacement: serial.optional().describe('serial of the in-stock unit given as replacement'),
    refund: money('refund').optional().describe('amount refunded'),
    fault: z.string().trim().min(1).max(500).describe('the fault the customer reports'),
    reason: reason.optional().describe('why a claim is rejected (required for reject)'),
    number: z.string().trim().min(1).max(64).optional().describe('claim number; generated (WC-…) when omitted'),
    claimedAt: when('of the claim'),
  })
  .strict()
  .meta({ id: 'ClaimRequest' })
export type ClaimRequest = z.infer<typeof ClaimRequest>

export const ClaimResult = z
  .object({
    number: z.string(),
    documentId: z.string(),
    outcome: z.enum(CLAIM_OUTCOMES),
    eventSeqs: z.array(z.number()),
    matchedBy: z.array(z.string()).describe('which claimant details matched the recorded buyer'),
    replacementEndsOn: z.string().nullable(),
    supplierCovered: z.boolean(),
  })
  .meta({ id: 'ClaimResult' })
export type ClaimResult = z.infer<typeof ClaimResult>

export const VoidRequest = z
  .object({ serial, sku: code('SKU').optional(), reason: reason.describe('why: damage, tampering…'), at: when('') })
  .strict()
  .meta({ id: 'VoidWarrantyRequest' })
export type VoidRequest = z.infer<typeof VoidRequest>

export const TransferRequest = z
  .object({
    serial,
    sku: code('SKU').optional(),
    claimant: ClaimantSchema.describe('the current owner, checked like a claim'),
    to: code('customer').describe('customer code of the new owner'),
    at: when('of the hand-over'),
  })
  .strict()
  .meta({ id: 'TransferWarrantyRequest' })
export type TransferRequest = z.infer<typeof TransferRequest>

export const UnitTermRequest = z
  .object({ units, months, label: label.describe('promotion, refurbished, open-box…'), at: when('') })
  .strict()
  .meta({ id: 'UnitTermRequest' })
export type UnitTermRequest = z.infer<typeof UnitTermRequest>

export const RepairReturnRequest = z
  .object({ units, reason: reason.optional(), at: when('the repaired units go back to their customers') })
  .strict()
  .meta({ id: 'RepairReturnRequest' })
export type RepairReturnRequest = z.infer<typeof RepairReturnRequest>

export const RotateTokenRequest = z
  .object({ serial, sku: code('SKU').optional() })
  .strict()
  .meta({ id: 'RotateTokenRequest' })
export type RotateTokenRequest = z.infer<typeof RotateTokenRequest>

export const RotatedToken = z
  .object({ token: z.string(), url: z.string().describe('path of the public check page'), eventSeq: z.number() })
  .meta({ id: 'RotatedToken' })

export const PublicCheckParams = z.object({ token: z.string().min(1).max(200) })
export const PublicCheck = z
  .object({
    genuine: z.boolean().describe('known and sold by this store'),
    product: z.string().nullable(),
    soldMonth: z.string().nullable().describe('YYYY-MM'),
    warrantyEndsOn: z.string().nullable(),
    inWarranty: z.boolean().nullable(),
    message: z.string(),
  })
  .meta({ id: 'PublicCheck' })
export type PublicCheck = z.infer<typeof PublicCheck>
