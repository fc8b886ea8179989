export { returnGoods } from './return.operation.js'
export { sell } from './sell.operation.js'
export * from './sales.schemas.js'
