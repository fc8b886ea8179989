import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of receipts. */
export const RECEIVING_ERRORS = defineErrors({
  'receipt.invalid': 'invalid',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof RECEIVING_ERRORS> {}
}
