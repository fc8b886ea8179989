import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of suppliers and customers. */
export const PARTY_ERRORS = defineErrors({
  'party.not_found': 'not_found',
  'party.duplicate': 'conflict',
  'party.wrong_role': 'invalid',
  'party.archived': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof PARTY_ERRORS> {}
}
