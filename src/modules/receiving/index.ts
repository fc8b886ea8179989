export { receive } from './receive.operation.js'
export type { RawUnit } from './receive.rules.js'
export * from './receiving.errors.js'
export * from './receiving.schemas.js'
export {
  explainDuplicates,
  applyReceipt,
  type ReceiptLine,
  type ReceiveCommand,
  receiveCommandOf,
} from './receiving.service.js'
export { type UnitSource, unitsFromCsv, unitSourceOf } from './unit-sources.js'
