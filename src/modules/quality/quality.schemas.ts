import { z } from 'zod'
import { code, money } from '../catalog/catalog.schemas.js'
import { documentNumber, numberParams, reason, serial, units, when } from '../operations/operations.schemas.js'
import { UNIT_STATUSES } from '../units/unit-status.rules.js'
import { CLAIM_STATUSES, INSPECTION_RESULTS, INSPECTION_STAGES, RECALL_OUTCOMES } from './quality.rules.js'

/** Largest attachment (a photo or a PDF), before base64. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
/** Body limit of an attachment upload: base64 grows by a third, plus the JSON around it. */
export const ATTACHMENT_BODY_LIMIT = Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 64 * 1024

const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex')
  .describe('SHA-256 of the content, lower-case hex')
const date = (what: string) =>
  z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe(`${what} (ISO date or date-time)`)

// ---------------------------------------------------------------------------------------------------------
// Defect codes and attachments

export const DefectCode = z
  .object({ code: z.string(), name: z.string(), retired: z.boolean(), retiredAt: z.string().nullable() })
  .meta({ id: 'DefectCode' })
export type DefectCode = z.infer<typeof DefectCode>

export const CreateDefectCodeRequest = z
  .object({ code: code('defect'), name: z.string().trim().min(1).max(200).describe('what the defect is') })
  .strict()
  .meta({ id: 'CreateDefectCodeRequest' })

export const UpdateDefectCodeRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional().describe('the new name'),
    retired: z.boolean().optional().describe('true retires the code (no new inspection may use it)'),
  })
  .strict()
  .meta({ id: 'UpdateDefectCodeRequest' })

export const DefectCodeParams = z.object({ code: code('defect') })

export const UploadAttachmentRequest = z
  .object({
    name: z.string().trim().min(1).max(200).describe('file name, for people'),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    base64: z.string().min(1).describe('the content, base64'),
  })
  .strict()
  .meta({ id: 'UploadAttachmentRequest' })

export const StoredAttachment = z
  .object({ sha256, name: z.string(), contentType: z.string(), size: z.number() })
  .meta({ id: 'AttachmentRef' })

export const AttachmentParams = z.object({ sha256 })

// ---------------------------------------------------------------------------------------------------------
// Inspections, quarantine, release

export const InspectRequest = z
  .object({
    units,
    stage: z.enum(INSPECTION_STAGES).describe('where the inspection happens'),
    result: z.enum(INSPECTION_RESULTS),
    defectCodes: z.array(code('defect')).max(50).default([]).describe('defects found (a failed inspection)'),
    notes: z.string().trim().max(2000).optional(),
    attachments: z
      .array(z.object({ sha256, name: z.string().trim().min(1).max(200) }).strict())
      .max(20)
      .default([])
      .describe('photos or PDFs uploaded first (POST /attachments), by their SHA-256'),
    quarantine: z.boolean().default(false).describe('a failed inspection also quarantines its units (one event)'),
    inspectedAt: when('of the inspection'),
  })
  .strict()
  .meta({ id: 'InspectRequest' })
export type InspectRequest = z.infer<typeof InspectRequest>

export const QuarantineRequest = z
  .object({ units, reason: reason.describe('why the units are held'), quarantinedAt: when('of the quarantine') })
  .strict()
  .meta({ id: 'QuarantineRequest' })

export const ReleaseRequest = z
  .object({
    units,
    reason: reason.describe('why the units may be sold again (required)'),
    releasedAt: when('of the release'),
  })
  .strict()
  .meta({ id: 'ReleaseRequest' })

// ---------------------------------------------------------------------------------------------------------
// Recalls

export const RecallCriteriaSchema = z
  .object({
    skus: z.array(code('SKU')).max(1000).optional().describe('SKU codes'),
    lots: z.array(z.string().trim().min(1).max(64)).max(1000).optional().describe('lot codes'),
    supplier: code('supplier').optional().describe('supplier code'),
    receipts: z.array(z.string().trim().min(1).max(64)).max(1000).optional().describe('receipt numbers'),
    serials: z.array(serial).max(10_000).optional().describe('a list of serials (up to 10,000; use a range beyond)'),
    serialRange: z
      .object({ from: serial, to: serial })
      .strict()
      .optional()
      .describe('serials from..to (inclusive, in text order)'),
    receivedFrom: date('received on or after'),
    receivedTo: date('received before'),
    soldFrom: date('sold on or after'),
    soldTo: date('sold before'),
    passedThrough: z
      .object({ location: code('location'), from: date('from'), to: date('until') })
      .strict()
      .optional()
      .describe('units that were at this location (or beneath it) between the dates, from the ledger'),
  })
  .strict()
  .meta({ id: 'RecallCriteria' })

export const RecallNumberParams = numberParams('recall number')

export const OpenRecallRequest = z
  .object({
    number: documentNumber('recall number', 'RCL-1234'),
    title: z.string().trim().min(1).max(200).describe('what is recalled and why'),
    criteria: RecallCriteriaSchema,
    openedAt: when('the recall opens'),
  })
  .strict()
  .meta({ id: 'OpenRecallRequest' })

export const PreviewRecallRequest = z.object({ criteria: RecallCriteriaSchema }).strict().meta({ id: 'PreviewRecall' })

export const QuarantineRecallRequest = z
  .object({ quarantinedAt: when('of the quarantine') })
  .strict()
  .meta({ id: 'QuarantineRecallRequest' })

export const RecallOutcomeRequest = z
  .object({
    outcome: z.enum(RECALL_OUTCOMES),
    units,
    note: z.string().trim().max(1000).optional(),
    recordedAt: when('of the outcome'),
  })
  .strict()
  .meta({ id: 'RecallOutcomeRequest' })

export const CloseRecallRequest = z
  .object({ reason: reason.optional(), closedAt: when('of the close') })
  .strict()
  .meta({ id: 'CloseRecallRequest' })

export const QuarantineResult = z
  .object({
    recall: z.string(),
    eventSeq: z.number().nullable().describe('the quarantine event, or null when no unit needed it'),
    quarantined: z.number().describe('units quarantined by this event'),
  })
  .meta({ id: 'QuarantineResult' })
export type QuarantineResult = z.infer<typeof QuarantineResult>

const SoldUnit = z.object({
  serial: z.string(),
  sku: z.string(),
  customer: z.string().nullable(),
  order: z.string().nullable(),
  soldAt: z.string().nullable(),
})

export const RecallPreview = z
  .object({
    total: z.number(),
    message: z.string().describe('what matched, in a sentence (says so when nothing did)'),
    byStatus: z.array(z.object({ status: z.enum(UNIT_STATUSES), count: z.number() })),
    inStockBySite: z.array(z.object({ site: z.string(), status: z.string(), count: z.number() })),
    sold: z.array(SoldUnit).describe('sold units (first 200): who bought them'),
  })
  .meta({ id: 'RecallPreview' })
export type RecallPreview = z.infer<typeof RecallPreview>

export const RecallSummary = z
  .object({
    number: z.string(),
    title: z.string(),
    status: z.enum(['open', 'closed']),
    openedAt: z.string(),
    criteria: RecallCriteriaSchema,
  })
  .meta({ id: 'RecallSummary' })

export const RecallProgress = z
  .object({
    recall: RecallSummary,
    affected: z.number(),
    resolved: z.number().describe('units with an outcome, or scrapped / returned to the vendor'),
    byStatus: z.array(z.object({ status: z.string(), count: z.number() })),
    byOutcome: z.array(z.object({ outcome: z.string(), count: z.number() })),
  })
  .meta({ id: 'RecallProgress' })
export type RecallProgress = z.infer<typeof RecallProgress>

// ---------------------------------------------------------------------------------------------------------
// Defect analysis

export const DIMENSIONS = ['supplier', 'receipt', 'lot', 'sku', 'location', 'site'] as const
export type Dimension = (typeof DIMENSIONS)[number]

export const DefectQuery = z
  .object({
    from: date('units received on or after'),
    to: date('units received before'),
    skus: z
      .union([z.array(code('SKU')), code('SKU')])
      .optional()
      .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : v.split(',')))
      .describe('SKU codes (comma-separated in a query string)'),
    dimension: z.enum(DIMENSIONS).optional().describe('one dimension; all by default'),
    measure: z.enum(['defect', 'return']).default('defect').describe('what the ranking is by'),
    minUnits: z.coerce.number().int().min(1).max(1_000_000).default(30).describe('fewer units are marked tooFew'),
  })
  .strict()
export type DefectQuery = z.infer<typeof DefectQuery>

export const DefectRow = z
  .object({
    dimension: z.enum(DIMENSIONS),
    key: z.string().nullable(),
    label: z.string(),
    units: z.number(),
    defective: z.number(),
    returned: z.number(),
    rate: z.number(),
    low: z.number().describe('95 % Wilson interval, lower end'),
    high: z.number().describe('95 % Wilson interval, upper end'),
    lift: z.number().nullable().describe('rate relative to the rest (null when the rest has none)'),
    returnRate: z.number(),
    tooFew: z.boolean(),
  })
  .meta({ id: 'DefectRow' })
export type DefectRow = z.infer<typeof DefectRow>

export const DefectReport = z
  .object({
    units: z.number(),
    defective: z.number(),
    returned: z.number(),
    measure: z.enum(['defect', 'return']),
    rows: z.array(DefectRow).describe('per dimension, the likely culprit first'),
  })
  .meta({ id: 'DefectReport' })
export type DefectReport = z.infer<typeof DefectReport>

// ---------------------------------------------------------------------------------------------------------
// Supplier claims

export const ClaimNumberParams = numberParams('claim number')

export const OpenClaimRequest = z
  .object({
    number: documentNumber('claim number', 'CLM-1234'),
    supplier: code('supplier'),
    units,
    reason: reason.describe('what is wrong with the units'),
    reference: z.string().trim().min(1).max(120).optional().describe("the supplier's RMA or case number"),
    openedAt: when('of the claim'),
  })
  .strict()
  .meta({ id: 'OpenClaimRequest' })

export const ShipClaimRequest = z
  .object({
    units: units.describe("the claim's units to ship back; all still here by default"),
    shippedAt: when('of the shipment'),
  })
  .strict()
  .meta({ id: 'ShipClaimRequest' })

export const ClaimStatusRequest = z
  .object({
    status: z.enum(CLAIM_STATUSES).exclude(['open']),
    creditedAmount: money('credited amount').optional().describe('credited: the amount the supplier credits'),
    creditNote: z.string().trim().min(1).max(120).optional().describe("credited: the supplier's credit-note number"),
    note: z.string().trim().max(1000).optional(),
    at: when('of the change'),
  })
  .strict()
  .meta({ id: 'ClaimStatusRequest' })

/** A claims-list cursor: the last claim's id (a UUIDv7, 36 characters), then its opening instant. */
const CLAIM_CURSOR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\d{4}-\d{2}-\d{2}T[\d:.]+Z$/

export const ClaimListQuery = z
  .object({
    status: z.enum(CLAIM_STATUSES).optional().describe('current status'),
    supplier: code('supplier').optional().describe('supplier code'),
    openedFrom: date('opened on or after'),
    openedTo: date('opened before'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().regex(CLAIM_CURSOR, 'a nextCursor of an earlier page').optional(),
  })
  .strict()
  .refine((q) => !q.openedFrom || !q.openedTo || new Date(q.openedFrom) < new Date(q.openedTo), {
    path: ['openedTo'],
    message: 'openedTo must be after openedFrom',
  })
export type ClaimListQuery = z.output<typeof ClaimListQuery>

export const ClaimSummary = z
  .object({
    number: z.string(),
    status: z.enum(CLAIM_STATUSES),
    supplier: z.object({ code: z.string(), name: z.string() }),
    reference: z.string().nullable().describe("the supplier's RMA or case number"),
    reason: z.string().nullable(),
    openedAt: z.string(),
    units: z.number().describe('units claimed'),
    shippedUnits: z.number().describe('of them, shipped back to the supplier'),
    creditedAmount: z.number().nullable(),
    creditNote: z.string().nullable(),
  })
  .meta({ id: 'ClaimSummary' })
export type ClaimSummary = z.infer<typeof ClaimSummary>

export const ClaimPage = z
  .object({ items: z.array(ClaimSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'ClaimPage' })
export type ClaimPage = z.infer<typeof ClaimPage>

export const ClaimView = z
  .object({
    number: z.string(),
    status: z.enum(CLAIM_STATUSES),
    supplier: z.object({ code: z.string(), name: z.string() }),
    reference: z.string().nullable(),
    reason: z.string().nullable(),
    openedAt: z.string(),
    creditedAmount: z.number().nullable(),
    creditNote: z.string().nullable(),
    units: z.array(z.object({ serial: z.string(), sku: z.string(), status: z.string() })),
    history: z.array(z.object({ status: z.string(), at: z.string(), actor: z.string(), note: z.string().nullable() })),
  })
  .meta({ id: 'ClaimView' })
export type ClaimView = z.infer<typeof ClaimView>

const PackLedgerEvent = z.object({
  seq: z.number(),
  type: z.string(),
  occurredAt: z.string(),
  actor: z.string(),
  location: z.string().nullable(),
  document: z.string().nullable(),
  reason: z.string().nullable(),
  hash: z.string(),
  prevHash: z.string(),
})

export const UnitEvidence = z
  .object({
    serial: z.string(),
    sku: z.string(),
    receipt: z.object({
      number: z.string(),
      supplier: z.string(),
      supplierName: z.string(),
      supplierReference: z.string().nullable(),
      purchaseOrder: z.string().nullable(),
      asn: z.string().nullable(),
      receivedAt: z.string(),
      lot: z.string().nullable(),
      unitCost: z.number().nullable(),
    }),
    timeline: z.array(PackLedgerEvent),
    inspections: z.array(
      z.object({
        seq: z.number(),
        at: z.string(),
        stage: z.string(),
        result: z.string(),
        defectCodes: z.array(z.string()),
        notes: z.string().nullable(),
        attachments: z.array(StoredAttachment),
      }),
    ),
    proof: z
      .unknown()
      .describe('the EvidencePack of /units/{serial}/pack: every event with its inclusion proof, or null')
      .nullable(),
    proofNote: z.string().nullable().describe('why there is no inclusion proof (no checkpoint covers the events)'),
  })
  .meta({ id: 'UnitEvidence' })
export type UnitEvidence = z.infer<typeof UnitEvidence>

export const ClaimPack = z
  .object({ claim: ClaimView, exportedAt: z.string(), units: z.array(UnitEvidence) })
  .meta({ id: 'ClaimPack' })
export type ClaimPack = z.infer<typeof ClaimPack>
