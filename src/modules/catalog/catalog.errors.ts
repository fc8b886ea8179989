import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of SKUs and their rules. */
export const CATALOG_ERRORS = defineErrors({
  'sku.not_found': 'not_found',
  'sku.duplicate': 'conflict',
  'sku.wrong_tracking': 'invalid',
  'gtin.invalid': 'invalid',
  'sku.archived': 'conflict',
  'sku.serial_rule_broken': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof CATALOG_ERRORS> {}
}
