export { findLotId, findOrCreateLot, lotCodesByIds } from './lots.repository.js'
export type { LotTables } from './lots.tables.js'
