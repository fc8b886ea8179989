export {
  canonicalJson,
  type EventHeader,
  type EventPayload,
  type EventType,
  type QuantityLine,
  type StoredEvent,
  type UnitLine,
} from './event.js'
export { EventWriter, type NewEvent } from './ledger-writer.js'
export type { CountedPayload, CountStartedPayload } from './count-projector.js'
export { scannedIn } from './count-projector.js'
export { type PackedQuantityLine, withNestedContainers } from './container-projector.js'
export * from './ledger.errors.js'
export { listEvents, readEvents, readQuantityLines, readUnitLines, toStoredEvent } from './ledger.repository.js'
export * from './ledger.schemas.js'
export { projectQuantityLines, projectUnitLines } from './projector.js'
export { verifyLedger, type VerifyReport } from './verify.js'
export * from './ledger.routes.js'
