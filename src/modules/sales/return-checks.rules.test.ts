import { describe, expect, it } from 'vitest'
import { location, spec, unit } from '../../../test/rules-spec.js'
import { applyOverrides, failedChecks } from './return-checks.rules.js'
import { decideReturn } from './return.rules.js'
import { ReturnRequest } from './sales.schemas.js'

const sold = (serial: string, over = {}) =>
  unit(serial, { status: 'sold', customerId: 'cus-1', orderRef: 'ORD-1', ...over })
const r = (u = sold('SN1'), soldAt = '2026-02-20T10:00:00Z') => ({ unit: u, soldAt, returnWindowDays: 30 })
const claim = { customerId: 'cus-1', orderRef: 'ORD-1', returnedAt: '2026-03-01T10:00:00Z' }
const checks = (x: ReturnType<typeof failedChecks>) => x.map((f) => f.check)

describe('the checks of a verified return, each a named reason', () => {
  it('passes a unit sold to this customer on this order within the window', () =>
    expect(failedChecks(r(), claim)).toEqual([]))
  it('wrong_sku: the serial is of another SKU than the customer names', () =>
    expect(checks(failedChecks(r(), { ...claim, sku: 'TABLET' }))).toEqual(['wrong_sku']))
  it('never_sold: the serial is still in our stock (a swap?)', () =>
    expect(failedChecks(r(unit('SN1')), claim)[0]).toMatchObject({ check: 'never_sold', overridable: false }))
  it('already_returned: the unit came back already', () =>
    expect(checks(failedChecks(r(sold('SN1', { status: 'returned' })), claim))).toEqual(['already_returned']))
  it('not_returnable: in repair, scrapped or with the vendor', () =>
    expect(checks(failedChecks(r(sold('SN1', { status: 'scrapped' })), claim))).toEqual(['not_returnable']))
  it('other_customer: sold to another customer', () =>
    expect(checks(failedChecks(r(), { ...claim, customerId: 'cus-2' }))).toEqual(['other_customer']))
  it('other_order: the serial is not the one recorded on the order', () => {
    const f = failedChecks(r(), { ...claim, orderRef: 'ORD-2' })
    expect(f[0]).toMatchObject({ check: 'other_order', message: 'SN1 is not on order ORD-2 (it was sold on ORD-1)' })
  })
  it('no_buyer_named: a unit sold to a named customer needs the customer or the order', () =>
    expect(checks(failedChecks(r(), { returnedAt: claim.returnedAt }))).toEqual(['no_buyer_named']))
  it('outside_window: sold longer ago than the SKU’s return window', () =>
    expect(failedChecks(r(sold('SN1'), '2026-01-01T10:00:00Z'), claim)[0]).toMatchObject({
      check: 'outside_window',
      message: 'SN1 was sold 59 days ago; the return window is 30 days',
    }))
  it('an override stands only for an overridable check of that unit', () => {
    const failed = [...failedChecks(r(sold('SN1'), '2026-01-01'), claim), ...failedChecks(r(unit('SN2')), claim)]
    const { overridden, standing } = applyOverrides(failed, [
      { serial: 'SN1', check: 'outside_window', reason: 'goodwill' },
      { serial: 'SN2', check: 'never_sold', reason: 'trust me' },
    ])
    expect(overridden.map((o) => [o.serial, o.check, o.reason])).toEqual([['SN1', 'outside_window', 'goodwill']])
    expect(checks(standing)).toEqual(['never_sold'])
  })
})

describe('a verified return', () => {
  const store = location('STORE-A')
  const cmd = (input: Record<string, unknown>) => ReturnRequest.parse({ location: 'STORE-A', ...input })
  const sales = { get: () => ({ soldAt: '2026-01-01T10:00:00.000Z', returnWindowDays: 30 }) } as never
  const ret = spec(decideReturn)
  const facts = { location: store, customer: { id: 'cus-1' }, units: [sold('SN1')], sales, quantities: [] }

  it('refuses a failed check, naming the unit and the reason, and that a manager may override it', () =>
    ret
      .given(facts)
      .when(cmd({ customer: 'C', units: ['SN1'] }))
      .refuses('return.unverified', /units\[0\]: outside_window: SN1 was sold 59 days ago.*a manager may override/))

  it("takes it with a manager's override, keeping the check and the reason on the event", () =>
    ret
      .given(facts)
      .when(
        cmd({ customer: 'C', units: ['SN1'], overrides: [{ serial: 'SN1', check: 'outside_window', reason: 'VIP' }] }),
      )
      .then((plan) =>
        expect(plan.payload.overrides).toEqual([
          { serial: 'SN1', check: 'outside_window', message: expect.stringMatching(/59 days/), reason: 'VIP' },
        ]),
      ))

  it('refuses an override of a check that did not fail', () =>
    ret
      .given({ ...facts, sales: { get: () => ({ soldAt: '2026-02-28T10:00:00Z', returnWindowDays: 30 }) } as never })
      .when(cmd({ customer: 'C', units: ['SN1'], overrides: [{ serial: 'SN1', check: 'wrong_sku', reason: 'x' }] }))
      .refuses('return.unverified', /did not fail/))
})
