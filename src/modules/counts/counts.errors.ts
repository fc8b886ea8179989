import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of cycle counts. */
export const COUNT_ERRORS = defineErrors({
  'count.not_found': 'not_found',
  'count.closed': 'conflict',
  'count.outside_scope': 'invalid',
  'count.blind': 'forbidden',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof COUNT_ERRORS> {}
}
