export { findLatestStockEvent, findOnHand, stockOnHand } from './stock.queries.js'
export * from './stock.schemas.js'
export * from './stock.errors.js'
export * from './stock.routes.js'
