import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of quantity stock. */
export const STOCK_ERRORS = defineErrors({
  'stock.insufficient': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof STOCK_ERRORS> {}
}
