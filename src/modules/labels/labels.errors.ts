import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of label printing. */
export const LABEL_ERRORS = defineErrors({
  'label.nothing_to_print': 'invalid',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof LABEL_ERRORS> {}
}
