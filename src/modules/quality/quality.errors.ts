import { type CodesOf, defineErrors } from '../../core/errors.js'

/** Errors of quality control: defect codes, inspections, quarantine, recalls and supplier claims. */
export const QUALITY_ERRORS = defineErrors({
  'defect_code.not_found': 'not_found',
  'defect_code.exists': 'conflict',
  'defect_code.retired': 'invalid',
  'attachment.not_found': 'not_found',
  'attachment.too_large': 'too_large',
  'attachment.wrong_type': 'invalid',
  'unit.quarantined': 'conflict',
  'recall.not_found': 'not_found',
  'recall.closed': 'conflict',
  'recall.invalid_criteria': 'invalid',
  'recall.affected': 'conflict',
  'claim.not_found': 'not_found',
  'claim.invalid_status': 'conflict',
})

declare module '../../core/errors.js' {
  interface ErrorCodes extends CodesOf<typeof QUALITY_ERRORS> {}
}
