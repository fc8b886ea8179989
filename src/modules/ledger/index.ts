export {
  canonicalJson,
  PENDING_HASH,
  type EventHeader,
  type EventPayload,
  type EventType,
  type QuantityLine,
  type StoredEvent,
  type UnitLine,
  type WrittenEvent,
} from './event.js'
export { EventWriter, type NewEvent } from './ledger-writer.js'
export type { UnitFilter } from './selected-units.js'
export type { CountedPayload, CountStartedPayload } from './count-projector.js'
export { scannedIn } from './count-projector.js'
export { type PackedQuantityLine, withNestedContainers } from './container-projector.js'
export * from './ledger.errors.js'
export {
  listEvents,
  readEvents,
  readQuantityLines,
  readUnitLines,
  readUnplacedEvents,
  toStoredEvent,
  toUnitLine,
  toWrittenEvent,
} from './ledger.repository.js'
export * from './ledger.schemas.js'
export { projectQuantityLines, projectUnitLines } from './projector.js'
export { unitStockCounts } from './unit-stock-projector.js'
export { verifyLedger, type VerifyReport } from './verify.js'
export * from './ledger.routes.js'
export { lineTakes } from './lines.queries.js'
export { awaitSequenced, Sequencer, sequenceOnce, sequencerOf, startSequencing } from './sequencer.js'
