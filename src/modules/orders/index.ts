export * from './orders.errors.js'
export * from './orders.schemas.js'
export { checkPick, orderStatus, UNPICKABLE_STATUSES } from './orders.rules.js'
export { type Holds, NO_HOLDS, refuseHeld } from './holds.rules.js'
export {
  checkScan,
  findOrder,
  getOrder,
  listOrders,
  loadHolds,
  orderView,
  pickList,
  reservedAt,
  unitPicksRead,
} from './orders.queries.js'
export { placeOrder } from './place-order.operation.js'
export { cancelOrder, pickOrder, shipOrder } from './ship-order.operation.js'
export * from './orders.routes.js'
