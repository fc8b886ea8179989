import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of moves and transfers. */
export const MOVEMENT_ERRORS = defineErrors({
  'transfer.invalid': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof MOVEMENT_ERRORS> {}
}
