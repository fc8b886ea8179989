import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { createSku, CreateSkuRequest, getSkuByCode, listSkus, SkuResponse, skuView } from '../modules/catalog/index.js'
import {
  createLocation,
  CreateLocationRequest,
  getLocationByCode,
  listLocations,
  LocationResponse,
} from '../modules/locations/index.js'
import * as ops from '../modules/operations/index.js'
import {
  createParty,
  CreatePartyRequest,
  getPartyByCode,
  listParties,
  PartyResponse,
} from '../modules/parties/parties.js'
import { ReceiptResult, ReceiveRequest } from '../modules/receiving/index.js'
import { StockQuery, StockRow, stockOnHand } from '../modules/stock/stock.js'
import {
  getUnit,
  ListUnitsQuery,
  listUnits,
  lookupUnits,
  Provenance,
  TimelineEntry,
  UnitPage,
  unitProvenance,
  unitTimeline,
  UnitView,
} from '../modules/units/index.js'
import type { HttpContext } from './context.js'
import { DOCUMENT_TYPES } from '../modules/documents/documents.js'
import { DocumentSummary, DocumentView, ListDocumentsQuery } from '../modules/documents/documents.schemas.js'
import { getDocumentView, listDocuments } from '../modules/documents/documents.queries.js'
import { listEvents } from '../modules/ledger/ledger.repository.js'
import { LedgerEvent } from '../modules/ledger/ledger.schemas.js'
import { runForRequest } from './command-route.js'
import { assertMay } from './auth.js'

/** Whether a sale names its own prices (a price change, which clerks may not make). */
const hasPrices = (body: ops.SellRequest) =>
  body.units.some((u) => typeof u !== 'string' && u.price !== undefined) ||
  body.quantities.some((q) => q.price !== undefined)

const listQuery = z
  .object({ search: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict()
const CodeParam = z.object({ code: z.string().min(1).max(64) })
const IdParam = z.object({ id: z.string().min(1).max(64) })

/** Catalog, locations and parties: the reference data every operation names by code. */
export function referenceRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely
    app.post(
      '/skus',
      {
        config: { policy: 'catalog.write' },
        schema: { tags: ['catalog'], summary: 'Create a SKU', body: CreateSkuRequest, response: { 201: SkuResponse } },
      },
      async (req, reply) => reply.code(201).send(skuView(await createSku(ctx, req.body))),
    )
    app.get(
      '/skus',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['catalog'],
          summary: 'List SKUs',
          querystring: listQuery.extend({
            tracking: z.enum(['serial', 'lot', 'quantity']).optional(),
            after: z.string().optional(),
          }),
          response: { 200: z.array(SkuResponse) },
        },
      },
      async (req) => (await listSkus(db, req.query)).map(skuView),
    )
    app.get(
      '/skus/:code',
      {
        config: { policy: 'stock.read' },
        schema: { tags: ['catalog'], summary: 'Get a SKU by code', params: CodeParam, response: { 200: SkuResponse } },
      },
      async (req) => skuView(await getSkuByCode(db, req.params.code)),
    )
    app.post(
      '/locations',
      {
        config: { policy: 'catalog.write' },
        schema: {
          tags: ['locations'],
          summary: 'Create a site, zone or bin',
          body: CreateLocationRequest,
          response: { 201: LocationResponse },
        },
      },
      async (req, reply) => reply.code(201).send(await createLocation(ctx, req.body)),
    )
    app.get(
      '/locations',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['locations'],
          summary: 'List locations (a subtree with ?under=CODE)',
          querystring: listQuery.extend({ under: z.string().optional() }),
          response: { 200: z.array(LocationResponse) },
        },
      },
      async (req) => listLocations(db, req.query),
    )
    app.get(
      '/locations/:code',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['locations'],
          summary: 'Get a location',
          params: CodeParam,
          response: { 200: LocationResponse },
        },
      },
      async (req) => getLocationByCode(db, req.params.code),
    )
    app.post(
      '/parties',
      {
        config: { policy: 'catalog.write' },
        schema: {
          tags: ['parties'],
          summary: 'Create a supplier or customer',
          body: CreatePartyRequest,
          response: { 201: PartyResponse },
        },
      },
      async (req, reply) => reply.code(201).send(await createParty(ctx, req.body)),
    )
    app.get(
      '/parties',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['parties'],
          summary: 'List parties',
          querystring: listQuery.extend({ role: z.enum(['supplier', 'customer']).optional() }),
          response: { 200: z.array(PartyResponse) },
        },
      },
      async (req) => listParties(db, req.query),
    )
    app.get(
      '/parties/:code',
      {
        config: { policy: 'stock.read' },
        schema: { tags: ['parties'], summary: 'Get a party', params: CodeParam, response: { 200: PartyResponse } },
      },
      async (req) => getPartyByCode(db, req.params.code),
    )
  }
}

/** Largest receipt body: 100,000+ serials, or a CSV of them, in one request. */
export const RECEIPT_BODY_LIMIT = 64 * 1024 * 1024
/** Largest body of other stock operations (200,000 serials at most). */
const OPERATION_BODY_LIMIT = 16 * 1024 * 1024

/** Stock operations; each is one atomic ledger event, and honours Idempotency-Key. */
export function operationRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    const result = { 201: ops.OperationResult }
    const tags = ['operations']
    app.post(
      '/receipts',
      {
        config: { policy: 'stock.operate' },
        bodyLimit: RECEIPT_BODY_LIMIT,
        schema: {
          tags: ['receiving'],
          summary: 'Receive a delivery from a supplier (serials, range, CSV or quantities)',
          body: ReceiveRequest,
          response: { 201: ReceiptResult },
        },
      },
      async (req, reply) => runForRequest(ctx, req, reply, 'receive', req.body),
    )
    app.post(
      '/moves',
      {
        config: { policy: 'stock.operate' },
        bodyLimit: OPERATION_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Move units or quantities to another location',
          body: ops.MoveRequest,
          response: result,
        },
      },
      async (req, reply) => runForRequest(ctx, req, reply, 'move', req.body),
    )
    app.post(
      '/transfers',
      {
        config: { policy: 'stock.operate' },
        bodyLimit: OPERATION_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Ship a transfer (goods go in transit)',
          body: ops.ShipTransferRequest,
          response: result,
        },
      },
      async (req, reply) => runForRequest(ctx, req, reply, 'shipTransfer', req.body),
    )
    app.post(
      '/transfers/:number/receipt',
      {
        config: { policy: 'stock.operate' },
        bodyLimit: OPERATION_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Receive a transfer at its destination',
          params: z.object({ number: z.string().min(1).max(64) }),
          body: ops.ReceiveTransferRequest,
          response: result,
        },
      },
      async (req, reply) =>
        runForRequest(ctx, req, reply, 'receiveTransfer', { number: req.params.number, body: req.body }),
    )
    app.post(
      '/sales',
      {
        config: { policy: 'stock.operate' },
        bodyLimit: OPERATION_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Sell / ship units and quantities to a customer',
          body: ops.SellRequest,
          response: result,
        },
      },
      async (req, reply) => {
        if (hasPrices(req.body)) assertMay(req, 'price.override', 'set a sale price other than the list price')
        return runForRequest(ctx, req, reply, 'sell', req.body)
      },
    )
    app.post(
      '/returns',
      {
        config: { policy: 'stock.operate' },
        bodyLimit: OPERATION_BODY_LIMIT,
        schema: { tags, summary: 'Take back a customer return', body: ops.ReturnRequest, response: result },
      },
      async (req, reply) => runForRequest(ctx, req, reply, 'returnGoods', req.body),
    )
    app.post(
      '/restocks',
      {
        config: { policy: 'stock.operate' },
        bodyLimit: OPERATION_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Put returned or quarantined units back in stock',
          body: ops.RestockRequest,
          response: result,
        },
      },
      async (req, reply) => runForRequest(ctx, req, reply, 'restock', req.body),
    )
    app.post(
      '/adjustments',
      {
        config: { policy: 'stock.adjust' },
        bodyLimit: OPERATION_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Record stock found or lost, with a reason',
          body: ops.AdjustRequest,
          response: result,
        },
      },
      async (req, reply) => runForRequest(ctx, req, reply, 'adjust', req.body),
    )
    app.post(
      '/scraps',
      {
        config: { policy: 'stock.adjust' },
        bodyLimit: OPERATION_BODY_LIMIT,
        schema: { tags, summary: 'Scrap units or quantities', body: ops.ScrapRequest, response: result },
      },
      async (req, reply) => runForRequest(ctx, req, reply, 'scrap', req.body),
    )
  }
}

/** Read side: the scan lookup, a unit with its timeline and provenance, unit lists and stock on hand. */
export function queryRoutes(ctx: HttpContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely
    const tags = ['units']
    app.get(
      '/units/lookup',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags,
          summary: 'Find units by a scanned serial or extra identifier (IMEI)',
          querystring: z.object({ code: z.string().min(1).max(200) }).strict(),
          response: { 200: z.array(UnitView) },
        },
      },
      async (req) => lookupUnits(ctx.db, req.query.code),
    )
    app.get(
      '/units',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags,
          summary: 'List units with filters and cursor paging',
          querystring: ListUnitsQuery,
          response: { 200: UnitPage },
        },
      },
      async (req) => listUnits(db, req.query),
    )
    app.get(
      '/units/:id',
      {
        config: { policy: 'stock.read' },
        schema: { tags, summary: 'A unit and its current state', params: IdParam, response: { 200: UnitView } },
      },
      async (req) => getUnit(db, req.params.id),
    )
    app.get(
      '/units/:id/timeline',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags,
          summary: "Every event of a unit's life: who, when, where, why",
          params: IdParam,
          response: { 200: z.array(TimelineEntry) },
        },
      },
      async (req) => {
        await getUnit(db, req.params.id)
        return unitTimeline(db, req.params.id)
      },
    )
    app.get(
      '/units/:id/provenance',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags,
          summary: 'Receipt, supplier, lot and cost of a unit',
          params: IdParam,
          response: { 200: Provenance },
        },
      },
      async (req) => unitProvenance(db, req.params.id),
    )
    app.get(
      '/documents',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['documents'],
          summary: 'List receipts, orders, transfers… newest first',
          querystring: ListDocumentsQuery,
          response: { 200: z.array(DocumentSummary) },
        },
      },
      async (req) => listDocuments(db, req.query),
    )
    app.get(
      '/documents/:type/:number',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['documents'],
          summary: 'A document and the ledger events it groups',
          params: z.object({ type: z.enum(DOCUMENT_TYPES), number: z.string().min(1).max(64) }),
          response: { 200: DocumentView },
        },
      },
      async (req) => getDocumentView(db, req.params.type, req.params.number),
    )
    app.get(
      '/events',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['ledger'],
          summary: 'Ledger events in order, for integrators (page with afterSeq)',
          querystring: z
            .object({
              afterSeq: z.coerce.number().int().min(0).default(0),
              limit: z.coerce.number().int().min(1).max(1000).default(100),
            })
            .strict(),
          response: { 200: z.array(LedgerEvent) },
        },
      },
      async (req) => listEvents(db, req.query.afterSeq, req.query.limit),
    )
    app.get(
      '/stock',
      {
        config: { policy: 'stock.read' },
        schema: {
          tags: ['stock'],
          summary: 'Stock on hand per SKU, location and lot (serial and quantity stock together)',
          querystring: StockQuery,
          response: { 200: z.array(StockRow) },
        },
      },
      async (req) => stockOnHand(db, req.query),
    )
  }
}
