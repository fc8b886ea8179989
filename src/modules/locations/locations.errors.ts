import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of the location tree. */
export const LOCATION_ERRORS = defineErrors({
  'location.not_found': 'not_found',
  'location.duplicate': 'conflict',
  'location.invalid_parent': 'invalid',
  'location.archived': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof LOCATION_ERRORS> {}
}
