export * from './counts.errors.js'
export * from './counts.schemas.js'
export * from './counts.rules.js'
export { closeCount, recountZone, scanCount, startCount } from './counts.operations.js'
export { countTally, getCount, reconcile, type Reconciliation } from './counts.queries.js'
export {
  countSummary,
  listCounts,
  RECONCILIATION_COLUMNS,
  reconciliationCsv,
  reconciliationRows,
  reconciliationView,
} from './counts.views.js'
export { countRoutes } from './counts.routes.js'
export type { CountTables } from './counts.tables.js'
export * from './shrinkage.rules.js'
export * from './shrinkage.schemas.js'
export { custodyOf, shrinkageReport, type ShrinkageReport, stockExceptions } from './shrinkage.queries.js'
export { periodBounds, SHRINKAGE_COLUMNS, shrinkageCsv, shrinkageRows, shrinkageView } from './shrinkage.views.js'
export { shrinkageRoutes } from './shrinkage.routes.js'
