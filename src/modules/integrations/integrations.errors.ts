import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of the event feed and webhook subscriptions. */
export const INTEGRATION_ERRORS = defineErrors({
  'webhook.not_found': 'not_found',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof INTEGRATION_ERRORS> {}
}
