/*
 * EPCIS 2.0 in and out: the ledger as GS1 EPCIS JSON-LD (streamed export by time, SKU, location, unit,
 * document) and EPCIS documents captured as ledger events. The event-type mapping is in epcis.rules.ts
 * and docs/gs1-epcis.md.
 */
export * from './epcis.errors.js'
export * from './epcis.schemas.js'
export { EVENT_MAPPINGS, FALLBACK_MAPPING, knownMapping, mappingOf } from './epcis.rules.js'
export { exportEpcis } from './epcis-export.js'
export type { EpcisFilter } from './epcis.queries.js'
export { captureEpcis, type CaptureResult } from './epcis-capture.js'
export { schemaProblems } from './epcis-schema.js'
export { epcisRoutes } from './epcis.routes.js'
