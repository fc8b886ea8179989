import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of sales orders, their picking and shipping. */
export const ORDER_ERRORS = defineErrors({
  'order.not_found': 'not_found',
  'order.invalid': 'invalid',
  'order.external_ref_conflict': 'conflict',
  'order.closed': 'conflict',
  'order.cannot_reserve': 'conflict',
  'order.wrong_sku': 'conflict',
  'order.not_needed': 'conflict',
  'order.already_picked': 'conflict',
  'order.unit_not_pickable': 'conflict',
  'order.reserved': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof ORDER_ERRORS> {}
}
