export * from './stage.rules.js'
export * from './ageing.rules.js'
export * from './advisor.rules.js'
export { ageingReport, AGEING_DIMENSIONS, type AgeingDimension, type AgeingReport } from './ageing.queries.js'
export { skuStages, stageSettings, trackRecords, unitLifecycle, weeklySales } from './lifecycle.queries.js'
export * from './lifecycle.schemas.js'
export {
  advisorCsv,
  advisorView,
  ageingCsv,
  ageingCsvRows,
  ageingView,
  unitLifecycleCsv,
  unitLifecycleView,
} from './lifecycle.views.js'
export * from './lifecycle.routes.js'
