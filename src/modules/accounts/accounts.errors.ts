import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of sign-in, access and account administration. */
export const ACCOUNT_ERRORS = defineErrors({
  'auth.required': 'unauthorized',
  'auth.invalid_credentials': 'unauthorized',
  'auth.locked': 'locked',
  'auth.forbidden': 'forbidden',
  'auth.csrf': 'forbidden',
  'auth.password_change_required': 'forbidden',
  'auth.out_of_scope': 'forbidden',
  'user.not_found': 'not_found',
  'user.duplicate': 'conflict',
  'token.not_found': 'not_found',
  'token.scope_above_role': 'invalid',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof ACCOUNT_ERRORS> {}
}
