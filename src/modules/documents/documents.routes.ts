import { z } from 'zod'
import { staleReads } from '../../db/connect.js'
import { moduleRoutes } from '../../http/context.js'
import { DOCUMENT_TYPES } from './document-types.rules.js'
import { getDocumentView, listDocuments } from './documents.queries.js'
import { DocumentSummary, DocumentView, ListDocumentsQuery } from './documents.schemas.js'

/** Receipts, orders, transfers…: the documents that group ledger events. */
export const documentRoutes = moduleRoutes('documents', (app, { ctx, db, routeOf }) => {
  app.get(
    '/documents',
    routeOf('stock.read', 'List receipts, orders, transfers… newest first', {
      querystring: ListDocumentsQuery,
      response: { 200: z.array(DocumentSummary) },
    }),
    // A list: on the replica when one is configured (READ_DATABASE_URL).
    async (req) => listDocuments(staleReads(ctx.db), req.query),
  )
  app.get(
    '/documents/:type/:number',
    routeOf('stock.read', 'A document and the ledger events it groups', {
      params: z.object({ type: z.enum(DOCUMENT_TYPES), number: z.string().min(1).max(64) }),
      response: { 200: DocumentView },
    }),
    async (req) => getDocumentView(db, req.params.type, req.params.number),
  )
})
