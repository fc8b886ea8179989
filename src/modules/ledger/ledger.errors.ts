import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of the ledger itself. */
export const LEDGER_ERRORS = defineErrors({
  'ledger.broken': 'internal',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof LEDGER_ERRORS> {}
}
