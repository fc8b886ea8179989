export { findLotId, findOrCreateLot } from './lots.repository.js'
export type { LotTables } from './lots.tables.js'
