import { z } from 'zod'

/** Which slice of the ledger an EPCIS export holds (every filter optional, all of them apply). */
export const EpcisExportQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().describe('business time from (inclusive)'),
    to: z.iso.datetime({ offset: true }).optional().describe('business time to (exclusive)'),
    sku: z.string().min(1).max(64).optional().describe('SKU code: events of its units and stock, its lines only'),
    location: z.string().min(1).max(64).optional().describe('location code: events at it or inside it'),
    serial: z.string().min(1).max(200).optional().describe("a unit's serial: its events, its line only"),
    document: z.string().min(1).max(64).optional().describe('document number: the events of that document'),
  })
  .strict()
export type EpcisExportQuery = z.infer<typeof EpcisExportQuery>

/** Largest EPCIS document a capture takes (about 100,000 serials as Digital Links, with room). */
export const EPCIS_BODY_LIMIT = 64 * 1024 * 1024

export const EpcisDocumentBody = z
  .looseObject({ type: z.string().describe('EPCISDocument (or EPCISQueryDocument)') })
  .describe('an EPCIS 2.0 JSON / JSON-LD document; validated against GS1 EPCIS-JSON-Schema.json')
  .meta({ id: 'EpcisDocument' })

export const CaptureResultSchema = z
  .object({
    events: z.number().describe('events in the document'),
    captured: z.number().describe('events turned into ledger events'),
    skipped: z
      .array(z.object({ index: z.number(), eventId: z.string().optional(), reason: z.string() }))
      .describe('events left out on purpose (observations, our own workflow events)'),
    ledgerEvents: z.array(z.number()).describe('sequence numbers of the ledger events written'),
  })
  .meta({ id: 'EpcisCaptureResult' })
