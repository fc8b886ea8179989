/*
 * Given/when/then for pure deciders, and fact builders: a decider's unit test reads like its rule and
 * runs in milliseconds, with no database.
 */
import { expect } from 'vitest'
import type {
  DecideContext,
  LocationFact,
  QuantityFact,
  SkuFact,
  UnitFact,
} from '../src/modules/operations/operations.rules.js'

export const NOW = new Date('2026-03-01T10:00:00.000Z')
export const CTX: DecideContext = { now: NOW, actor: 'clerk' }

type Decide<C, F, P> = (cmd: C, facts: F, ctx: DecideContext) => P

/** `spec(decideSell).given(facts).when(cmd).then((plan) => …)` or `.refuses('unit.illegal_transition', /sold/)`. */
export const spec = <C, F, P>(decide: Decide<C, F, P>) => ({
  given: (facts: F) => ({
    when: (cmd: C, ctx: DecideContext = CTX) => ({
      then: (check: (plan: P) => void) => check(decide(cmd, facts, ctx)),
      refuses: (code: string, message?: RegExp) => {
        let thrown: unknown
        try {
          decide(cmd, facts, ctx)
        } catch (e) {
          thrown = e
        }
        expect(thrown, 'expected a refusal').toMatchObject({ code })
        if (message) expect((thrown as Error).message).toMatch(message)
        return thrown as { code: string; message: string; details?: { issues?: { field: string }[] } }
      },
    }),
  }),
})

let seq = 0
export const location = (code: string, parent?: LocationFact): LocationFact => ({
  id: `loc-${code}`,
  code,
  path: `${parent?.path ?? '/'}${code}/`,
})

export const unit = (serial: string, over: Partial<UnitFact> & { at?: LocationFact } = {}): UnitFact => {
  const { at, ...rest } = over
  return {
    id: `unit-${serial}-${++seq}`,
    skuId: 'sku-PHX',
    skuCode: 'PHX',
    serial,
    status: 'in_stock',
    locationId: at?.id ?? null,
    locationPath: at?.path ?? null,
    lotId: null,
    transferId: null,
    customerId: null,
    orderRef: null,
    version: 1,
    ...rest,
  }
}

export const sku = (code: string, over: Partial<SkuFact> = {}): SkuFact => ({
  id: `sku-${code}`,
  code,
  tracking: 'quantity',
  priceMinor: 500,
  allowNegative: false,
  ...over,
})

export const quantityOf = (
  s: SkuFact,
  at: LocationFact,
  quantity: number,
  over: Partial<QuantityFact> = {},
): QuantityFact => ({
  field: 'quantities[0]',
  sku: s,
  lotId: null,
  location: at,
  quantity,
  onHand: 0,
  ...over,
})
