import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of EPCIS capture and export. */
export const EPCIS_ERRORS = defineErrors({
  'epcis.invalid': 'invalid',
  'epcis.capture_refused': 'invalid',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof EPCIS_ERRORS> {}
}
