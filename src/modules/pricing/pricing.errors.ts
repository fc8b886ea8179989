import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of unit prices and markdowns. */
export const PRICING_ERRORS = defineErrors({
  'price.below_cost': 'conflict',
  'price.markdown_cap': 'conflict',
  'price.mixed_direction': 'invalid',
  'price.no_stock': 'conflict',
  'markdown.nothing_to_apply': 'conflict',
  'markdown.policy_not_found': 'not_found',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof PRICING_ERRORS> {}
}
