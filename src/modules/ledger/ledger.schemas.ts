import { z } from 'zod'
import { UNIT_EVENT_TYPES } from '../units/unit-status.rules.js'

/*
 * Ledger events as GET /events sends them. This module imports only zod and pure modules so the web
 * app can type its answers from it.
 */

/** One stored ledger event: its header and hash-chain link, without its lines. */
export const LedgerEvent = z
  .object({
    seq: z.number().describe('the event: what its lines, documents and units name'),
    logPos: z
      .number()
      .describe('its place in the log (1, 2, 3…): what the chain, checkpoints and the afterSeq cursor count'),
    id: z.string(),
    type: z.enum(UNIT_EVENT_TYPES),
    occurredAt: z.string(),
    recordedAt: z.string(),
    actor: z.string(),
    locationId: z.string().nullable(),
    fromLocationId: z.string().nullable(),
    reason: z.string().nullable(),
    documentType: z.string().nullable(),
    documentId: z.string().nullable(),
    payload: z.string().describe('canonical JSON of the extra facts: supplier, customer, order reference…'),
    unitCount: z.number(),
    quantityLineCount: z.number(),
    linesHash: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'LedgerEvent' })
export type LedgerEvent = z.infer<typeof LedgerEvent>

/** What a ledger check found: the hash chain and the replayed projections, or the first problem. */
export const VerifyResult = z
  .object({
    ok: z.boolean(),
    events: z.number().describe('events whose hash chain was checked'),
    unitLines: z.number(),
    problem: z
      .object({
        seq: z.number().optional(),
        eventId: z.string().optional(),
        table: z.string().optional(),
        key: z.string().optional(),
        reason: z.string(),
      })
      .optional()
      .describe('the first problem found, naming the event or projection row'),
  })
  .meta({ id: 'VerifyResult' })
