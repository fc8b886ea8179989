export { type CommandOptions, type CommandResult, runCommand } from './idempotency.service.js'
export * from './idempotency.errors.js'
export type { IdempotencyTables } from './idempotency.tables.js'
