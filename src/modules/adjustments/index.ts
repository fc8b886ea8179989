export { adjust } from './adjust.operation.js'
export * from './adjustments.schemas.js'
export { restock } from './restock.operation.js'
export { scrap } from './scrap.operation.js'
