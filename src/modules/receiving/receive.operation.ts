import { AppError } from '../../core/errors.js'
import { decideReceiptHeader } from './receive.rules.js'
import { ReceiptResult, ReceiveRequest } from './receiving.schemas.js'
import { explainDuplicates, loadReceiptHeader, receiveCommandOf, writeReceipt } from './receiving.service.js'
import { defineOperation, RECEIPT_BODY_LIMIT } from '../operations/index.js'

/**
 * Receives a delivery from a supplier as one ledger event: serials (a list, `{serial, identifiers}`
 * units, a range or CSV text) and quantities. Its lines and serials are decided as they stream in.
 */
export const receive = defineOperation({
  name: 'receive',
  url: '/receipts',
  summary: 'Receive a delivery from a supplier (serials, range, CSV or quantities)',
  tag: 'receiving',
  policy: 'stock.operate',
  body: ReceiveRequest,
  response: ReceiptResult,
  events: ['received'],
  document: 'receipt',
  bodyLimit: RECEIPT_BODY_LIMIT,
  load: loadReceiptHeader,
  decide: decideReceiptHeader,
  write: (scope, plan, cmd) => writeReceipt(scope, plan, receiveCommandOf(cmd)),
  // The unique keys (SKU, serial) and (identifier, value) name only the first clash; the user is shown every one.
  explain: async (e, cmd, ctx) =>
    e instanceof AppError && (e.code === 'serial.duplicate' || e.code === 'identifier.duplicate')
      ? explainDuplicates(ctx, receiveCommandOf(cmd).lines)
      : e,
})
