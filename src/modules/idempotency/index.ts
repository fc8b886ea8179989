export * from './idempotency.errors.js'
export { findReplay, rememberResult, requestHashOf } from './idempotency.repository.js'
export type { IdempotencyTables } from './idempotency.tables.js'
