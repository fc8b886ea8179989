import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors every stock operation may raise, whatever it does. */
export const OPERATION_ERRORS = defineErrors({
  'time.before_latest_event': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof OPERATION_ERRORS> {}
}
