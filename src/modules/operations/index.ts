export * from './operations.errors.js'
export type { AnyOperation, CommandOf, ExtraPermission, StockOperation } from './operation.js'
export { defineOperation, stockOperation } from './operation.js'
export * from './operations.schemas.js'
export { writePlan } from './operations.repository.js'
export {
  apply,
  applyOperation,
  type CommandOfOperation,
  type CommandOptions,
  type CommandResult,
  execute,
  type InputOf,
  parseCommand,
  type ResultOf,
  runCommand,
  runOperation,
} from './operations.service.js'
export {
  idsOf,
  loadActiveLocation,
  loadLocation,
  loadParty,
  loadQuantities,
  loadSku,
  loadUnits,
  loadUnitsAndPacked,
  partyRead,
  type QuantityInput,
  refsOf,
  type UnitInput,
} from './operations.queries.js'
export {
  containerContents,
  loadPackedQuantities,
  nestedContainerCodes,
  packedRows,
  type PackedRow,
} from './container-contents.queries.js'
export type {
  DecideContext,
  DraftQuantity,
  LocationFact,
  OperationPlan,
  QuantityFact,
  SkuFact,
  UnitFact,
} from './operations.rules.js'
