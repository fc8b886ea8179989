import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of containers (packing and unpacking). */
export const CONTAINER_ERRORS = defineErrors({
  'container.not_found': 'not_found',
  'container.invalid_code': 'invalid',
  'container.unit_in_other_container': 'conflict',
  'container.unit_not_in_container': 'conflict',
  'container.location_mismatch': 'conflict',
  'container.cycle': 'conflict',
  'container.packed_unit': 'conflict',
  'container.quantity_not_in_container': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof CONTAINER_ERRORS> {}
}
