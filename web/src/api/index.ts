/*
 * The API as the pages call it: one function per operation, its path, parameters, body and answer all
 * typed by the paths generated from openapi.json (schema.gen.ts), so a renamed route or field fails to compile.
 */
import { client, rememberCsrfToken, send } from './client'
import type { DocumentType } from '../types'
import type { paths } from './schema.gen'

export { ApiError, type Issue, messageOf } from './problem'
export { newIdempotencyKey, onPasswordChangeRequired, onUnauthorized } from './client'

type Get<P extends keyof paths> = NonNullable<paths[P]['get']>
/** The query parameters of a GET path. */
export type QueryOf<P extends keyof paths> = NonNullable<Get<P>['parameters']['query']>
/** The JSON body a path takes with a method. */
export type BodyOf<P extends keyof paths, M extends 'post' | 'patch'> =
  NonNullable<paths[P][M]> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

/** Stock operations carry an Idempotency-Key: a retried submit is applied once. */
const once = (key: string) => ({ headers: { 'idempotency-key': key } })

export const api = {
  // Accounts
  me: () => send(client.GET('/api/v1/auth/me'), { quiet401: true }),
  login: async (username: string, password: string) => {
    const me = await send(client.POST('/api/v1/auth/login', { body: { username, password } }), { quiet401: true })
    rememberCsrfToken(me.csrfToken)
    return me
  },
  logout: () => send(client.POST('/api/v1/auth/logout'), { quiet401: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    send(client.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } })),
  users: () => send(client.GET('/api/v1/users')),
  createUser: (body: BodyOf<'/api/v1/users', 'post'>) => send(client.POST('/api/v1/users', { body })),
  updateUser: (username: string, body: BodyOf<'/api/v1/users/{username}', 'patch'>) =>
    send(client.PATCH('/api/v1/users/{username}', { params: { path: { username } }, body })),
  adminEvents: (limit = 200) => send(client.GET('/api/v1/admin-events', { params: { query: { limit } } })),
  verifyLedger: () => send(client.GET('/api/v1/ledger/verify')),

  // Reference data
  skus: (query: QueryOf<'/api/v1/skus'> = {}) =>
    send(client.GET('/api/v1/skus', { params: { query: { limit: 1000, ...query } } })),
  sku: (code: string) => send(client.GET('/api/v1/skus/{code}', { params: { path: { code } } })),
  createSku: (body: BodyOf<'/api/v1/skus', 'post'>) => send(client.POST('/api/v1/skus', { body })),
  locations: (query: QueryOf<'/api/v1/locations'> = {}) =>
    send(client.GET('/api/v1/locations', { params: { query: { limit: 1000, ...query } } })),
  location: (code: string) => send(client.GET('/api/v1/locations/{code}', { params: { path: { code } } })),
  createLocation: (body: BodyOf<'/api/v1/locations', 'post'>) => send(client.POST('/api/v1/locations', { body })),
  updateLocation: (code: string, body: BodyOf<'/api/v1/locations/{code}', 'patch'>) =>
    send(client.PATCH('/api/v1/locations/{code}', { params: { path: { code } }, body })),
  parties: (query: QueryOf<'/api/v1/parties'> = {}) =>
    send(client.GET('/api/v1/parties', { params: { query: { limit: 1000, ...query } } })),
  party: (code: string) => send(client.GET('/api/v1/parties/{code}', { params: { path: { code } } })),
  createParty: (body: BodyOf<'/api/v1/parties', 'post'>) => send(client.POST('/api/v1/parties', { body })),
  updateSku: (code: string, body: BodyOf<'/api/v1/skus/{code}', 'patch'>) =>
    send(client.PATCH('/api/v1/skus/{code}', { params: { path: { code } }, body })),
  skuHistory: (code: string) => send(client.GET('/api/v1/skus/{code}/history', { params: { path: { code } } })),
  locationHistory: (code: string) =>
    send(client.GET('/api/v1/locations/{code}/history', { params: { path: { code } } })),
  updateParty: (code: string, body: BodyOf<'/api/v1/parties/{code}', 'patch'>) =>
    send(client.PATCH('/api/v1/parties/{code}', { params: { path: { code } }, body })),
  partyHistory: (code: string) => send(client.GET('/api/v1/parties/{code}/history', { params: { path: { code } } })),

  // Ageing, life cycle, pricing and markdowns
  ageing: (query: QueryOf<'/api/v1/reports/ageing'>) =>
    send(client.GET('/api/v1/reports/ageing', { params: { query } })),
  skuLifecycle: (code: string) => send(client.GET('/api/v1/skus/{code}/lifecycle', { params: { path: { code } } })),
  markdowns: () => send(client.GET('/api/v1/markdowns/recommendations', { params: { query: {} } })),
  applyMarkdowns: (body: BodyOf<'/api/v1/markdowns/apply', 'post'>, key: string) =>
    send(client.POST('/api/v1/markdowns/apply', { body, ...once(key) })),
  advisor: () => send(client.GET('/api/v1/reports/advisor')),
  discountShare: () => send(client.GET('/api/v1/reports/discount-share')),
  markdownPolicies: () => send(client.GET('/api/v1/markdown-policies')),
  putMarkdownPolicy: (
    group: string,
    body: NonNullable<paths['/api/v1/markdown-policies/{group}']['put']>['requestBody']['content']['application/json'],
  ) => send(client.PUT('/api/v1/markdown-policies/{group}', { params: { path: { group } }, body })),
  unitPricing: (id: string) => send(client.GET('/api/v1/units/{id}/pricing', { params: { path: { id } } })),

  // Units and stock
  lookup: (code: string, signal?: AbortSignal) =>
    send(client.GET('/api/v1/units/lookup', { params: { query: { code } }, signal })),
  unit: (id: string) => send(client.GET('/api/v1/units/{id}', { params: { path: { id } } })),
  timeline: (id: string) => send(client.GET('/api/v1/units/{id}/timeline', { params: { path: { id } } })),
  provenance: (id: string) => send(client.GET('/api/v1/units/{id}/provenance', { params: { path: { id } } })),
  units: (query: QueryOf<'/api/v1/units'>) => send(client.GET('/api/v1/units', { params: { query } })),
  stock: (query: QueryOf<'/api/v1/stock'>) => send(client.GET('/api/v1/stock', { params: { query } })),
  documents: (query: QueryOf<'/api/v1/documents'>) => send(client.GET('/api/v1/documents', { params: { query } })),
  document: (type: DocumentType, number: string) =>
    send(client.GET('/api/v1/documents/{type}/{number}', { params: { path: { type, number } } })),
  displaySettings: () => send(client.GET('/api/v1/settings/display')),
  dashboard: (weeks = 12) =>
    send(client.GET('/api/v1/reports/dashboard', { params: { query: { weeks, recent: 12 } } })),

  // Ledger proofs (auditors and managers)
  latestCheckpoint: () => send(client.GET('/api/v1/proofs/checkpoints/latest')),
  makeCheckpoint: () => send(client.POST('/api/v1/proofs/checkpoints')),
  publicKey: () => send(client.GET('/api/v1/proofs/public-key')),
  unitPack: (serial: string, sku?: string) =>
    send(
      client.GET('/api/v1/proofs/units/{serial}/pack', {
        params: { path: { serial }, query: sku ? { sku } : {} },
      }),
    ),

  // Stock operations (one ledger event each)
  receive: (body: BodyOf<'/api/v1/receipts', 'post'>, key: string) =>
    send(client.POST('/api/v1/receipts', { body, ...once(key) })),
  move: (body: BodyOf<'/api/v1/moves', 'post'>, key: string) =>
    send(client.POST('/api/v1/moves', { body, ...once(key) })),
  shipTransfer: (body: BodyOf<'/api/v1/transfers', 'post'>, key: string) =>
    send(client.POST('/api/v1/transfers', { body, ...once(key) })),
  receiveTransfer: (number: string, body: BodyOf<'/api/v1/transfers/{number}/receipt', 'post'>, key: string) =>
    send(client.POST('/api/v1/transfers/{number}/receipt', { params: { path: { number } }, body, ...once(key) })),
  sell: (body: BodyOf<'/api/v1/sales', 'post'>, key: string) =>
    send(client.POST('/api/v1/sales', { body, ...once(key) })),
  returnGoods: (body: BodyOf<'/api/v1/returns', 'post'>, key: string) =>
    send(client.POST('/api/v1/returns', { body, ...once(key) })),
  restock: (body: BodyOf<'/api/v1/restocks', 'post'>, key: string) =>
    send(client.POST('/api/v1/restocks', { body, ...once(key) })),
  adjust: (body: BodyOf<'/api/v1/adjustments', 'post'>, key: string) =>
    send(client.POST('/api/v1/adjustments', { body, ...once(key) })),
  scrap: (body: BodyOf<'/api/v1/scraps', 'post'>, key: string) =>
    send(client.POST('/api/v1/scraps', { body, ...once(key) })),
  pack: (body: BodyOf<'/api/v1/containers/pack', 'post'>, key: string) =>
    send(client.POST('/api/v1/containers/pack', { body, ...once(key) })),
  unpack: (body: BodyOf<'/api/v1/containers/unpack', 'post'>, key: string) =>
    send(client.POST('/api/v1/containers/unpack', { body, ...once(key) })),
  container: (code: string, signal?: AbortSignal) =>
    send(client.GET('/api/v1/containers/{code}', { params: { path: { code } }, signal })),

  // Quality: defect codes, inspections, quarantine, recalls, the defect analysis, supplier claims
  defectCodes: () => send(client.GET('/api/v1/defect-codes')),
  createDefectCode: (body: BodyOf<'/api/v1/defect-codes', 'post'>) =>
    send(client.POST('/api/v1/defect-codes', { body })),
  updateDefectCode: (code: string, body: BodyOf<'/api/v1/defect-codes/{code}', 'patch'>) =>
    send(client.PATCH('/api/v1/defect-codes/{code}', { params: { path: { code } }, body })),
  inspect: (body: BodyOf<'/api/v1/inspections', 'post'>, key: string) =>
    send(client.POST('/api/v1/inspections', { body, ...once(key) })),
  release: (body: BodyOf<'/api/v1/quarantine/release', 'post'>, key: string) =>
    send(client.POST('/api/v1/quarantine/release', { body, ...once(key) })),
  recalls: () => send(client.GET('/api/v1/recalls')),
  recall: (number: string) => send(client.GET('/api/v1/recalls/{number}', { params: { path: { number } } })),
  previewRecall: (body: BodyOf<'/api/v1/recalls/preview', 'post'>, signal?: AbortSignal) =>
    send(client.POST('/api/v1/recalls/preview', { body, signal })),
  openRecall: (body: BodyOf<'/api/v1/recalls', 'post'>, key: string) =>
    send(client.POST('/api/v1/recalls', { body, ...once(key) })),
  quarantineRecall: (number: string, key: string) =>
    send(client.POST('/api/v1/recalls/{number}/quarantine', { params: { path: { number } }, body: {}, ...once(key) })),
  recordRecallOutcome: (number: string, body: BodyOf<'/api/v1/recalls/{number}/outcomes', 'post'>, key: string) =>
    send(client.POST('/api/v1/recalls/{number}/outcomes', { params: { path: { number } }, body, ...once(key) })),
  closeRecall: (number: string, key: string) =>
    send(client.POST('/api/v1/recalls/{number}/close', { params: { path: { number } }, body: {}, ...once(key) })),
  defects: (query: QueryOf<'/api/v1/reports/defects'>) =>
    send(client.GET('/api/v1/reports/defects', { params: { query } })),
  claims: (query: QueryOf<'/api/v1/claims'>) => send(client.GET('/api/v1/claims', { params: { query } })),
  claim: (number: string) => send(client.GET('/api/v1/claims/{number}', { params: { path: { number } } })),
  openClaim: (body: BodyOf<'/api/v1/claims', 'post'>, key: string) =>
    send(client.POST('/api/v1/claims', { body, ...once(key) })),
  shipClaim: (number: string, key: string) =>
    send(client.POST('/api/v1/claims/{number}/shipment', { params: { path: { number } }, body: {}, ...once(key) })),
  changeClaimStatus: (number: string, body: BodyOf<'/api/v1/claims/{number}/status', 'post'>, key: string) =>
    send(client.POST('/api/v1/claims/{number}/status', { params: { path: { number } }, body, ...once(key) })),
  uploadAttachment: (body: BodyOf<'/api/v1/attachments', 'post'>) => send(client.POST('/api/v1/attachments', { body })),

  // Cycle counts, shrinkage and custody
  counts: (query: QueryOf<'/api/v1/counts'> = {}) => send(client.GET('/api/v1/counts', { params: { query } })),
  count: (number: string) => send(client.GET('/api/v1/counts/{number}', { params: { path: { number } } })),
  reconciliation: (number: string) =>
    send(client.GET('/api/v1/counts/{number}/reconciliation', { params: { path: { number }, query: {} } })),
  startCount: (body: BodyOf<'/api/v1/counts', 'post'>, key: string) =>
    send(client.POST('/api/v1/counts', { body, ...once(key) })),
  scanCount: (number: string, body: BodyOf<'/api/v1/counts/{number}/scans', 'post'>) =>
    send(client.POST('/api/v1/counts/{number}/scans', { params: { path: { number } }, body })),
  recount: (number: string, body: BodyOf<'/api/v1/counts/{number}/recount', 'post'>, key: string) =>
    send(client.POST('/api/v1/counts/{number}/recount', { params: { path: { number } }, body, ...once(key) })),
  closeCount: (number: string, body: BodyOf<'/api/v1/counts/{number}/close', 'post'>, key: string) =>
    send(client.POST('/api/v1/counts/{number}/close', { params: { path: { number } }, body, ...once(key) })),
  shrinkage: (query: QueryOf<'/api/v1/reports/shrinkage'>) =>
    send(client.GET('/api/v1/reports/shrinkage', { params: { query } })),
  exceptions: (query: QueryOf<'/api/v1/exceptions'> = {}) =>
    send(client.GET('/api/v1/exceptions', { params: { query } })),
  custody: (id: string) => send(client.GET('/api/v1/units/{id}/custody', { params: { path: { id } } })),
  // Warranty, verified returns and the public check
  warranty: (code: string) => send(client.GET('/api/v1/warranty', { params: { query: { code } } })),
  claimWarranty: (body: BodyOf<'/api/v1/warranty/claims', 'post'>, key: string) =>
    send(client.POST('/api/v1/warranty/claims', { body, ...once(key) })),
  issueCheckToken: (serial: string, key: string) =>
    send(client.POST('/api/v1/warranty/check-tokens', { body: { serial }, ...once(key) })),
  verifyReturn: (body: BodyOf<'/api/v1/returns/verify', 'post'>) =>
    send(client.POST('/api/v1/returns/verify', { body })),
  disposeReturn: (body: BodyOf<'/api/v1/returns/dispositions', 'post'>, key: string) =>
    send(client.POST('/api/v1/returns/dispositions', { body, ...once(key) })),
  returnFraud: (days: number) => send(client.GET('/api/v1/reports/return-fraud', { params: { query: { days } } })),
  publicCheck: (token: string) =>
    send(client.GET('/api/v1/public/check/{token}', { params: { path: { token } } }), { quiet401: true }),

  // Sales orders
  orders: (query: QueryOf<'/api/v1/orders'>) => send(client.GET('/api/v1/orders', { params: { query } })),
  order: (number: string) => send(client.GET('/api/v1/orders/{number}', { params: { path: { number } } })),
  placeOrder: (body: BodyOf<'/api/v1/orders', 'post'>, key: string) =>
    send(client.POST('/api/v1/orders', { body, ...once(key) })),
  pickList: (orders: string[]) =>
    send(client.GET('/api/v1/pick-list', { params: { query: { orders: orders.join(',') } } })),
  scanCheck: (number: string, body: BodyOf<'/api/v1/orders/{number}/scan-check', 'post'>) =>
    send(client.POST('/api/v1/orders/{number}/scan-check', { params: { path: { number } }, body })),
  pickOrder: (number: string, body: BodyOf<'/api/v1/orders/{number}/picks', 'post'>, key: string) =>
    send(client.POST('/api/v1/orders/{number}/picks', { params: { path: { number } }, body, ...once(key) })),
  shipOrder: (number: string, body: BodyOf<'/api/v1/orders/{number}/shipments', 'post'>, key: string) =>
    send(client.POST('/api/v1/orders/{number}/shipments', { params: { path: { number } }, body, ...once(key) })),
  cancelOrder: (number: string, body: BodyOf<'/api/v1/orders/{number}/cancellation', 'post'>, key: string) =>
    send(client.POST('/api/v1/orders/{number}/cancellation', { params: { path: { number } }, body, ...once(key) })),

  // Webhooks (admins)
  webhooks: () => send(client.GET('/api/v1/webhooks')),
  createWebhook: (body: BodyOf<'/api/v1/webhooks', 'post'>) => send(client.POST('/api/v1/webhooks', { body })),
  webhookDeliveries: (id: string, query: QueryOf<'/api/v1/webhooks/{id}/deliveries'>) =>
    send(client.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query } })),
  redeliver: (id: string, body: BodyOf<'/api/v1/webhooks/{id}/redeliver', 'post'>) =>
    send(client.POST('/api/v1/webhooks/{id}/redeliver', { params: { path: { id } }, body })),
  setWebhookActive: (id: string, isActive: boolean) =>
    send(client.POST('/api/v1/webhooks/{id}/active', { params: { path: { id } }, body: { isActive } })),
}
