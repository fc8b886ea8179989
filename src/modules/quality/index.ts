export * from './quality.errors.js'
export * from './quality.rules.js'
export * from './defects.rules.js'
export * from './quality.schemas.js'
export type { QualityTables } from './quality.tables.js'
export {
  changeClaimStatus,
  closeRecall,
  inspect,
  loadClaimFacts,
  openClaim,
  openRecall,
  quarantine,
  quarantineRecall,
  recordRecallOutcome,
  release,
  shipClaim,
} from './quality.operations.js'
export {
  affectedUnits,
  CUSTOMER_COLUMNS,
  customerRows,
  getRecall,
  holdArrivals,
  listRecalls,
  previewRecall,
  recallProgress,
  recallsAffecting,
  resolveCriteria,
} from './recall.queries.js'
export { ARRIVALS, DEFECT_COLUMNS, defectCsvRows, defectReport } from './defects.queries.js'
export { claimPack, claimView, getClaim, listClaims, unitEvidence } from './claims.queries.js'
export { claimPdf } from './claim-pdf.js'
export * from './defect-codes.service.js'
export { qualityRoutes } from './quality.routes.js'
