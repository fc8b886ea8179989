import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of units: finding them, their serials and identifiers, their state machine. */
export const UNIT_ERRORS = defineErrors({
  'unit.not_found': 'not_found',
  'unit.ambiguous': 'invalid',
  'unit.illegal_transition': 'conflict',
  'unit.wrong_location': 'conflict',
  'serial.duplicate': 'conflict',
  'identifier.duplicate': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof UNIT_ERRORS> {}
}
