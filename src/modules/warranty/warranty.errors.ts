import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of warranties, claims and the public check. */
export const WARRANTY_ERRORS = defineErrors({
  'warranty.not_sold': 'conflict',
  'warranty.expired': 'conflict',
  'warranty.void': 'conflict',
  'warranty.claimant_mismatch': 'conflict',
  'warranty.invalid': 'invalid',
  'warranty.replacement_unavailable': 'conflict',
  'return.unverified': 'conflict',
  'return.invalid_disposition': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof WARRANTY_ERRORS> {}
}
