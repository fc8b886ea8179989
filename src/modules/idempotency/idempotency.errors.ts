import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of retried requests. */
export const IDEMPOTENCY_ERRORS = defineErrors({
  'idempotency.key_reused': 'unprocessable',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof IDEMPOTENCY_ERRORS> {}
}
