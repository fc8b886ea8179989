import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of business documents (receipts, orders, transfers…). */
export const DOCUMENT_ERRORS = defineErrors({
  'document.not_found': 'not_found',
  'document.duplicate': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof DOCUMENT_ERRORS> {}
}
