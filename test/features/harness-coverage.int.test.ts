/*
 * The random-operation harness means something only if each operation's case really runs it: over a fixed
 * sample of sequences, every operation of the registry succeeds at least once (and is refused, too).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { steppingClock } from '../../src/core/clock.js'
import { OPERATIONS } from '../../src/modules/registry.js'
import { DIALECTS } from '../dialects.js'
import { invariantViolations, operationArb, runOperation, seedWorld } from '../harness.js'

/** Operations that need set-up the random world has not (a markdown policy) and so are only refused. */
const ONLY_REFUSED = new Set(['applyMarkdowns'])

describe('sqlite: the harness exercises every operation', () => {
  it('runs each operation of the registry successfully in a fixed sample of random sequences', async () => {
    const dialect = DIALECTS[0]!
    const ok = new Map<string, number>()
    const sequences = fc.sample(fc.array(operationArb, { minLength: 200, maxLength: 200 }), { numRuns: 60, seed: 7 })
    for (const sequence of sequences) {
      const db = await dialect.create()
      try {
        const w = await seedWorld({ db, clock: steppingClock('2026-02-01T00:00:00Z') })
        for (const op of sequence) if ((await runOperation(w, op)) === 'ok') ok.set(op.kind, (ok.get(op.kind) ?? 0) + 1)
        expect(await invariantViolations(db)).toEqual([])
      } finally {
        await db.drop()
      }
    }
    const never = OPERATIONS.map((o) => o.name).filter((name) => !ok.has(name) && !ONLY_REFUSED.has(name))
    expect(never).toEqual([])
  }, 240_000)
})
