import { z } from 'zod'
import { DOCUMENT_TYPES } from './document-types.rules.js'

/*
 * Schemas of documents as the API shows them, apart from documents.queries.ts so the web app can type
 * its API answers from them: this module imports only zod and other pure modules, never the database.
 */

export const DocumentView = z
  .object({
    id: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    number: z.string(),
    party: z.object({ code: z.string(), name: z.string() }).nullable(),
    location: z.string().nullable(),
    toLocation: z.string().nullable(),
    reference: z.string().nullable(),
    occurredAt: z.string(),
    actor: z.string(),
    data: z.record(z.string(), z.unknown()),
    events: z.array(
      z.object({
        seq: z.number(),
        id: z.string(),
        type: z.string(),
        occurredAt: z.string(),
        actor: z.string(),
        unitCount: z.number(),
        quantityLineCount: z.number(),
      }),
    ),
  })
  .meta({ id: 'Document' })
export type DocumentView = z.infer<typeof DocumentView>

/** One row of GET /documents. */
export const DocumentSummary = DocumentView.pick({
  id: true,
  type: true,
  number: true,
  reference: true,
  occurredAt: true,
  actor: true,
}).meta({ id: 'DocumentSummary' })
export type DocumentSummary = z.infer<typeof DocumentSummary>

export const ListDocumentsQuery = z
  .object({
    type: z.enum(DOCUMENT_TYPES).optional(),
    search: z.string().max(100).optional().describe('part of the number or reference'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
export type ListDocumentsQuery = z.infer<typeof ListDocumentsQuery>
