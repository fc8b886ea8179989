export * from './warranty.errors.js'
export * from './warranty.schemas.js'
export * from './warranty.rules.js'
export { findPolicy, findWarrantyUnit, warrantyLookup, warrantyOf, withEffectiveWarranty } from './warranty.queries.js'
export {
  claimWarranty,
  returnRepair,
  rotateCheckToken,
  setUnitWarranty,
  tokenHash,
  transferWarranty,
  voidWarranty,
} from './warranty.operations.js'
export type { WarrantyTables } from './warranty.tables.js'
export { warrantyRoutes } from './warranty.routes.js'
export { publicCheck, BLAND_ANSWER } from './public-check.js'
export { policyView, saveLotTerm, savePolicy } from './warranty.service.js'
