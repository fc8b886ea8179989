import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import { moduleRoutes } from '../../http/context.js'
import { staleReads } from '../../db/connect.js'
import { claimPdf } from './claim-pdf.js'
import { claimPack, claimView, listClaims } from './claims.queries.js'
import { DEFECT_COLUMNS, defectCsvRows, defectReport } from './defects.queries.js'
import {
  createDefectCode,
  listDefectCodes,
  readAttachment,
  storeAttachment,
  updateDefectCode,
} from './defect-codes.service.js'
import { refuseBadCriteria } from './quality.rules.js'
import {
  ATTACHMENT_BODY_LIMIT,
  AttachmentParams,
  ClaimListQuery,
  ClaimNumberParams,
  ClaimPack,
  ClaimPage,
  ClaimView,
  CreateDefectCodeRequest,
  DefectCode,
  DefectCodeParams,
  DefectQuery,
  DefectReport,
  PreviewRecallRequest,
  StoredAttachment,
  RecallNumberParams,
  RecallPreview,
  RecallProgress,
  RecallSummary,
  UpdateDefectCodeRequest,
  UploadAttachmentRequest,
} from './quality.schemas.js'
import {
  CUSTOMER_COLUMNS,
  customerRows,
  getRecall,
  listRecalls,
  previewRecall,
  recallProgress,
  resolveCriteria,
  summaryOf,
} from './recall.queries.js'

/** Quality's reference data and read side: defect codes, attachments, recalls, the defect analysis, claims. */
export const qualityRoutes = moduleRoutes('quality', (app, { ctx, db, routeOf }) => {
  app.get(
    '/defect-codes',
    routeOf('stock.read', 'Defect codes, retired ones too', { response: { 200: z.array(DefectCode) } }),
    async () => listDefectCodes(db),
  )
  app.post(
    '/defect-codes',
    routeOf('catalog.write', 'Create a defect code', { body: CreateDefectCodeRequest, response: { 201: DefectCode } }),
    async (req, reply) => reply.code(201).send(await createDefectCode(ctx, req.body)),
  )
  app.patch(
    '/defect-codes/:code',
    routeOf('catalog.write', 'Rename, retire or restore a defect code', {
      params: DefectCodeParams,
      body: UpdateDefectCodeRequest,
      response: { 200: DefectCode },
    }),
    async (req) => updateDefectCode(ctx, req.params.code, req.body),
  )
  app.post(
    '/attachments',
    {
      ...routeOf('stock.operate', "Upload an inspection's photo or PDF (base64); stored by its SHA-256", {
        body: UploadAttachmentRequest,
        response: { 201: StoredAttachment },
      }),
      bodyLimit: ATTACHMENT_BODY_LIMIT,
    },
    async (req, reply) => reply.code(201).send(await storeAttachment(ctx, req.body)),
  )
  app.get(
    '/attachments/:sha256',
    routeOf('stock.read', 'An attachment by its SHA-256', { params: AttachmentParams }),
    async (req, reply) => {
      const a = await readAttachment(db, req.params.sha256)
      return reply.type(a.contentType).send(a.bytes)
    },
  )
  app.get(
    '/recalls',
    routeOf('stock.read', 'Recalls, newest first', { response: { 200: z.array(RecallSummary) } }),
    async () => (await listRecalls(db)).map(summaryOf),
  )
  app.post(
    '/recalls/preview',
    routeOf(
      'stock.read',
      'What criteria would select: affected units by status and site, and who bought the sold ones',
      { body: PreviewRecallRequest, response: { 200: RecallPreview } },
    ),
    async (req) => {
      refuseBadCriteria(req.body.criteria)
      return previewRecall(db, await resolveCriteria(db, req.body.criteria))
    },
  )
  app.get(
    '/recalls/:number',
    routeOf('stock.read', "A recall's progress: resolved of affected, by status and by outcome", {
      params: RecallNumberParams,
      response: { 200: RecallProgress },
    }),
    async (req) => recallProgress(db, await getRecall(db, req.params.number)),
  )
  app.get(
    '/recalls/:number/preview',
    routeOf('stock.read', "A recall's affected units now, by status and site", {
      params: RecallNumberParams,
      response: { 200: RecallPreview },
    }),
    async (req) => previewRecall(db, (await getRecall(db, req.params.number)).resolved),
  )
  app.get(
    '/recalls/:number/customers',
    routeOf('stock.read', 'The customer notification list (CSV: customer, contact, order, sale date, SKU, serial)', {
      params: RecallNumberParams,
    }),
    async (req, reply) => {
      const rows = await customerRows(db, (await getRecall(db, req.params.number)).resolved)
      reply.type('text/csv; charset=utf-8')
      return stringify(rows, { header: true, columns: [...CUSTOMER_COLUMNS] })
    },
  )
  app.get(
    '/reports/defects',
    routeOf('stock.read', 'Defect and return rates per supplier, receipt, lot, SKU and location passed through', {
      querystring: DefectQuery,
      response: { 200: DefectReport },
    }),
    // Reports need not be fresh: a read replica (READ_DATABASE_URL) answers them when there is one.
    async (req) => defectReport(staleReads(ctx.db), req.query),
  )
  app.get(
    '/reports/defects.csv',
    routeOf('stock.read', 'The defect analysis as CSV', { querystring: DefectQuery }),
    async (req, reply) => {
      reply.type('text/csv; charset=utf-8')
      return stringify(defectCsvRows(await defectReport(staleReads(ctx.db), req.query)), {
        header: true,
        columns: [...DEFECT_COLUMNS],
      })
    },
  )
  app.get(
    '/claims',
    routeOf('stock.read', 'Supplier claims, newest first: by status, supplier and opening date (cursor paging)', {
      querystring: ClaimListQuery,
      response: { 200: ClaimPage },
    }),
    async (req) => listClaims(db, req.query),
  )
  app.get(
    '/claims/:number',
    routeOf('stock.read', 'A supplier claim', { params: ClaimNumberParams, response: { 200: ClaimView } }),
    async (req) => claimView(db, req.params.number),
  )
  app.get(
    '/claims/:number/pack',
    routeOf(
      'stock.read',
      "A claim's evidence pack as JSON: per unit its receipt, timeline, inspections and ledger proofs",
      { params: ClaimNumberParams, response: { 200: ClaimPack } },
    ),
    async (req) => claimPack(ctx.db, req.params.number, ctx.clock.now()),
  )
  app.get(
    '/claims/:number/pack.pdf',
    routeOf('stock.read', "A claim's evidence pack as PDF", { params: ClaimNumberParams }),
    async (req, reply) => {
      const pdf = await claimPdf(await claimPack(ctx.db, req.params.number, ctx.clock.now()))
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="claim-${req.params.number}.pdf"`)
        .send(pdf)
    },
  )
})
