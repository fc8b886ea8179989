import { expect } from 'vitest'
import type { VerifyReport } from '../../src/modules/ledger/verify.js'

/*
 * `expect(await verifyLedger(db)).toVerify()`: passes when the ledger verifies, and otherwise fails with
 * verify's own account of the first problem (its reason, and the event or projection row it names), not
 * with "expected false to be true". A test that expects verify to fail asserts on `report.problem`.
 */

interface VerifyMatchers<R = unknown> {
  /** The report says the hash chain (and the replay, if it ran) is intact. */
  toVerify(): R
}

declare module 'vitest' {
  interface Matchers<T = any> extends VerifyMatchers<T> {}
}

/** Verify's reason, then the event or projection row it names. */
function describeProblem(problem: NonNullable<VerifyReport['problem']>): string {
  const { reason, ...where } = problem
  const fields = (['seq', 'eventId', 'table', 'key'] as const)
    .filter((f) => where[f] !== undefined)
    .map((f) => `${f} ${where[f]}`)
  return fields.length > 0 ? `${reason} [${fields.join(', ')}]` : reason
}

expect.extend({
  toVerify(report: VerifyReport) {
    const pass = report.ok && report.problem === undefined
    const problem = report.problem ? describeProblem(report.problem) : 'ok is false and no problem is named'
    return {
      pass,
      message: () =>
        pass
          ? `expected the ledger not to verify, but it did (${report.events} events, ${report.unitLines} unit lines)`
          : `expected the ledger to verify, but: ${problem}`,
    }
  },
})
