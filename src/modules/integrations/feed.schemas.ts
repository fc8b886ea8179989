import { z } from 'zod'
import { UNIT_EVENT_TYPES } from '../units/unit-status.rules.js'

/*
 * The event feed (GET /feed) and the webhook body share one event shape: what happened, where, on which
 * document, to which units and quantities, by codes an integrator knows (SKU, location, serial).
 */

/** Most unit lines one feed event carries; a bigger event (a receipt) says how many it has in all. */
export const FEED_MAX_UNITS_PER_EVENT = 1000

export const FeedQuery = z
  .object({
    after: z
      .string()
      .regex(/^\d{1,15}$/, 'a cursor from an earlier page (`cursor`), or 0 for the start')
      .default('0')
      .describe('the cursor of the last page read; 0 (the default) reads from the first event'),
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('most events in the page'),
  })
  .strict()

export const FeedEvent = z
  .object({
    id: z.string().describe('stable event id: de-duplicate on it (delivery is at least once)'),
    seq: z
      .number()
      .describe(
        "the event's number (its document numbers use it); on PostgreSQL's sequenced write path it may have gaps " +
          'and need not grow in log order',
      ),
    logPos: z
      .number()
      .describe("the event's place in the log, 1, 2, 3… with no gap; events come in logPos order (the feed's cursor)"),
    type: z.enum(UNIT_EVENT_TYPES),
    occurredAt: z.string(),
    recordedAt: z.string(),
    actor: z.string(),
    location: z.string().nullable().describe('code of the location the goods ended up at'),
    fromLocation: z.string().nullable(),
    reason: z.string().nullable(),
    document: z.object({ type: z.string(), number: z.string() }).nullable(),
    payload: z.record(z.string(), z.unknown()).describe('extra facts: customer, order reference, sales order…'),
    unitCount: z.number(),
    units: z
      .array(z.object({ serial: z.string(), sku: z.string(), priceMinor: z.number().nullable() }))
      .describe(`the event's units, the first ${FEED_MAX_UNITS_PER_EVENT} when it has more (see unitCount)`),
    quantities: z.array(
      z.object({ sku: z.string(), lot: z.string().nullable(), location: z.string(), delta: z.number() }),
    ),
  })
  .meta({ id: 'FeedEvent' })
export type FeedEvent = z.infer<typeof FeedEvent>

export const FeedPage = z
  .object({
    events: z.array(FeedEvent),
    cursor: z.string().describe('pass as `after` to read on; unchanged when there was nothing new'),
    hasMore: z.boolean().describe('whether more events follow now'),
  })
  .meta({ id: 'FeedPage' })
export type FeedPage = z.infer<typeof FeedPage>
