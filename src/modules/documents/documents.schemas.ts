import { z } from 'zod'
import { DOCUMENT_TYPES } from './document-types.rules.js'

/** How many serial lines a document answer lists (its totals count them all). */
export const DOCUMENT_UNIT_LINES = 1000

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
    units: z
      .array(
        z.object({
          unitId: z.string(),
          serial: z.string(),
          sku: z.string(),
          amount: z.number().nullable().describe('sale price (order, return) or unit cost (receipt)'),
        }),
      )
      .describe(`the serials of its events, in line order (the first ${DOCUMENT_UNIT_LINES})`),
    quantities: z.array(
      z.object({
        sku: z.string(),
        lot: z.string().nullable(),
        location: z.string(),
        quantity: z.number().describe('how many moved (always positive)'),
        amount: z.number().nullable().describe('price or cost of one'),
      }),
    ),
    unitCount: z.number().describe('serials in all its events'),
    amountKind: z.enum(['price', 'cost']).nullable().describe('what the amounts are: sale prices or unit costs'),
    total: z.number().nullable().describe('sum of the amounts of every line, also those not listed'),
  })
  .meta({ id: 'Document' })
export type DocumentView = z.infer<typeof DocumentView>

/** One row of GET /documents. */
export const DocumentSummary = DocumentView.pick({
  id: true,
  type: true,
  number: true,
  party: true,
  reference: true,
  occurredAt: true,
  actor: true,
  unitCount: true,
  amountKind: true,
})
  .extend({
    quantity: z.number().describe('items of lot and quantity stock in its events'),
    value: z.number().nullable().describe('total sale price (order, return) or cost (receipt); null for others'),
  })
  .meta({ id: 'DocumentSummary' })
export type DocumentSummary = z.infer<typeof DocumentSummary>

export const ListDocumentsQuery = z
  .object({
    type: z.enum(DOCUMENT_TYPES).optional(),
    search: z.string().max(100).optional().describe('part of the number or reference'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('rows to skip (paging)'),
  })
  .strict()
export type ListDocumentsQuery = z.infer<typeof ListDocumentsQuery>
