/*
 * The registry: every stock operation, every module's routes and every module's error codes, listed
 * once. The HTTP routes and OpenAPI entries of the operations, the writer thread's command table and
 * the random-operation test harness are derived from OPERATIONS; adding an operation is one line here.
 */
import { CORE_ERRORS, type ErrorCode, type ErrorKind } from '../core/errors.js'
import type { ModuleRoutes } from '../http/context.js'
import { ACCOUNT_ERRORS, accountRoutes } from './accounts/index.js'
import { adjust, restock, scrap } from './adjustments/index.js'
import { CATALOG_ERRORS, catalogRoutes } from './catalog/index.js'
import {
  closeCount,
  COUNT_ERRORS,
  countRoutes,
  recountZone,
  scanCount,
  shrinkageRoutes,
  startCount,
} from './counts/index.js'
import { DOCUMENT_ERRORS, documentRoutes } from './documents/index.js'
import { EPCIS_ERRORS, epcisRoutes } from './epcis/index.js'
import { IDEMPOTENCY_ERRORS } from './idempotency/index.js'
import { INTEGRATION_ERRORS, integrationRoutes } from './integrations/index.js'
import { LABEL_ERRORS, labelRoutes } from './labels/index.js'
import { LEDGER_ERRORS, ledgerRoutes } from './ledger/index.js'
import { LOCATION_ERRORS, locationRoutes } from './locations/index.js'
import { MOVEMENT_ERRORS, move, receiveTransfer, shipTransfer } from './movements/index.js'
import { OPERATION_ERRORS } from './operations/index.js'
import { PARTY_ERRORS, partyRoutes } from './parties/index.js'
import { PROOF_ERRORS, proofRoutes } from './proofs/index.js'
import { cancelOrder, ORDER_ERRORS, orderRoutes, pickOrder, placeOrder, shipOrder } from './orders/index.js'
import { receive, RECEIVING_ERRORS } from './receiving/index.js'
import {
  changeClaimStatus,
  closeRecall,
  inspect,
  openClaim,
  openRecall,
  QUALITY_ERRORS,
  qualityRoutes,
  quarantine,
  quarantineRecall,
  recordRecallOutcome,
  release,
  shipClaim,
} from './quality/index.js'
import { reportRoutes } from './reports/index.js'
import { disposeReturn, returnGoods, returnRoutes, sell } from './sales/index.js'
import { STOCK_ERRORS, stockRoutes } from './stock/index.js'
import { UNIT_ERRORS, unitRoutes } from './units/index.js'
import {
  claimWarranty,
  returnRepair,
  rotateCheckToken,
  setUnitWarranty,
  transferWarranty,
  voidWarranty,
  WARRANTY_ERRORS,
  warrantyRoutes,
  withEffectiveWarranty,
} from './warranty/index.js'
import { lifecycleRoutes } from './lifecycle/index.js'
import { applyMarkdowns, changePrice, PRICING_ERRORS, pricingRoutes } from './pricing/index.js'
import { CONTAINER_ERRORS, containerRoutes, pack, unpack } from './containers/index.js'

/** Every stock operation, in the order the API documents them. */
export const OPERATIONS = [
  receive,
  move,
  shipTransfer,
  receiveTransfer,
  sell,
  returnGoods,
  restock,
  adjust,
  scrap,
  startCount,
  scanCount,
  recountZone,
  closeCount,
  placeOrder,
  shipOrder,
  cancelOrder,
  inspect,
  quarantine,
  release,
  openRecall,
  quarantineRecall,
  recordRecallOutcome,
  closeRecall,
  openClaim,
  shipClaim,
  changeClaimStatus,
  disposeReturn,
  claimWarranty,
  voidWarranty,
  transferWarranty,
  setUnitWarranty,
  returnRepair,
  rotateCheckToken,
  changePrice,
  applyMarkdowns,
  pickOrder,
  pack,
  unpack,
] as const

export type Operation = (typeof OPERATIONS)[number]
export type OperationName = Operation['name']
/** An operation by its name (what the writer thread is sent). */
export type OperationNamed<N extends OperationName> = Extract<Operation, { name: N }>

export const OPERATIONS_BY_NAME = Object.fromEntries(OPERATIONS.map((o) => [o.name, o])) as {
  [N in OperationName]: OperationNamed<N>
}

/** Every module's other routes (reference data, queries, accounts), each a Fastify plugin. */
export const MODULE_ROUTES: readonly ModuleRoutes[] = [
  accountRoutes,
  catalogRoutes,
  locationRoutes,
  partyRoutes,
  unitRoutes(withEffectiveWarranty),
  documentRoutes,
  ledgerRoutes,
  proofRoutes,
  stockRoutes,
  reportRoutes,
  countRoutes,
  shrinkageRoutes,
  integrationRoutes,
  orderRoutes,
  qualityRoutes,
  warrantyRoutes,
  returnRoutes,
  lifecycleRoutes,
  pricingRoutes,
  epcisRoutes,
  labelRoutes,
  containerRoutes,
]

/** Every error code with its kind; fails to compile when a module's codes are missing. */
export const ERRORS = {
  ...CORE_ERRORS,
  ...IDEMPOTENCY_ERRORS,
  ...CATALOG_ERRORS,
  ...LOCATION_ERRORS,
  ...PARTY_ERRORS,
  ...DOCUMENT_ERRORS,
  ...RECEIVING_ERRORS,
  ...UNIT_ERRORS,
  ...STOCK_ERRORS,
  ...MOVEMENT_ERRORS,
  ...OPERATION_ERRORS,
  ...LEDGER_ERRORS,
  ...PROOF_ERRORS,
  ...ACCOUNT_ERRORS,
  ...COUNT_ERRORS,
  ...INTEGRATION_ERRORS,
  ...ORDER_ERRORS,
  ...QUALITY_ERRORS,
  ...WARRANTY_ERRORS,
  ...PRICING_ERRORS,
  ...EPCIS_ERRORS,
  ...LABEL_ERRORS,
  ...CONTAINER_ERRORS,
} as const satisfies Record<ErrorCode, ErrorKind>
