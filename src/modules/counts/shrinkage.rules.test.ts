import { describe, expect, it } from 'vitest'
import {
  adjustmentsAbove,
  custodyChain,
  LEAVES,
  type Loss,
  periodOf,
  repeatedLosses,
  summarizeShrinkage,
} from './shrinkage.rules.js'

const loss = (over: Partial<Loss>): Loss => ({
  eventSeq: 1,
  occurredAt: '2026-03-04T10:00:00.000Z',
  location: 'ST-A',
  sku: 'PHX',
  skuName: 'Phone X',
  units: 1,
  quantity: 0,
  valueMinor: 40_000,
  ...over,
})

describe('shrinkage', () => {
  it('buckets instants by day, Monday-started week and month', () => {
    expect(periodOf('2026-03-04T10:00:00.000Z', 'day')).toBe('2026-03-04')
    expect(periodOf('2026-03-04T10:00:00.000Z', 'week')).toBe('2026-03-02')
    expect(periodOf('2026-03-08T23:00:00.000Z', 'week')).toBe('2026-03-02')
    expect(periodOf('2026-03-04T10:00:00.000Z', 'month')).toBe('2026-03')
  })

  it('sums losses by location, SKU and period, as a share of what the location had', () => {
    const s = summarizeShrinkage(
      [
        loss({ eventSeq: 1 }),
        loss({ eventSeq: 2, occurredAt: '2026-03-10T10:00:00.000Z' }),
        loss({ eventSeq: 2, location: 'ST-B', sku: 'CABLE', units: 0, quantity: 5, valueMinor: 1000 }),
      ],
      new Map([
        ['ST-A', 120_000],
        ['ST-B', 9000],
      ]),
      'week',
    )
    expect(s.total).toMatchObject({ units: 2, quantity: 5, valueMinor: 81_000, stockValueMinor: 129_000 })
    expect(s.byLocation[0]).toMatchObject({ location: 'ST-A', units: 2, events: 2, share: 80_000 / 200_000 })
    expect(s.byLocation[1]).toMatchObject({ location: 'ST-B', quantity: 5, share: 0.1 })
    expect(s.bySku.map((k) => k.sku)).toEqual(['PHX', 'CABLE'])
    expect(s.trend.map((t) => [t.period, t.valueMinor])).toEqual([
      ['2026-03-02', 41_000],
      ['2026-03-09', 40_000],
    ])
    expect(repeatedLosses(s, 2, 'now').map((e) => e.location)).toEqual(['ST-A'])
  })
})

describe('custody chain', () => {
  it('starts a new step whenever the actor or the location changes, and follows the unit out', () => {
    const e = (
      seq: number,
      type: string,
      actor: string,
      location: string | null,
      fromLocation: string | null = null,
    ) => ({
      seq,
      type,
      actor,
      location,
      fromLocation,
      occurredAt: `2026-03-0${seq}T10:00:00.000Z`,
    })
    expect(
      custodyChain([
        e(1, 'received', 'ann', 'WH'),
        e(2, 'counted', 'ann', 'WH'),
        e(3, 'moved', 'bob', 'ST'),
        e(4, 'lost', 'bob', null, 'ST'),
      ]),
    ).toEqual([
      {
        actor: 'ann',
        location: 'WH',
        since: e(1, '', '', '').occurredAt,
        until: e(3, '', '', '').occurredAt,
        events: ['received', 'counted'],
      },
      {
        actor: 'bob',
        location: 'ST',
        since: e(3, '', '', '').occurredAt,
        until: e(4, '', '', '').occurredAt,
        events: ['moved'],
      },
      { actor: 'bob', location: null, since: e(4, '', '', '').occurredAt, until: null, events: ['lost'] },
    ])
  })
})

describe('custody across capabilities', () => {
  it('ends custody at our locations on every event that takes a unit away, new ones included', () => {
    expect([...LEAVES].sort()).toEqual(
      ['lost', 'repair_returned', 'returned_to_vendor', 'scrapped', 'sold', 'transfer_shipped'].sort(),
    )
    const e = (seq: number, type: string, location: string | null, fromLocation: string | null = null) => ({
      seq,
      type,
      actor: 'ann',
      location,
      fromLocation,
      occurredAt: `2026-03-0${seq}T10:00:00.000Z`,
    })
    const chain = custodyChain([
      e(1, 'received', 'WH'),
      e(2, 'quarantined', null),
      e(3, 'returned_to_vendor', null, 'WH'),
    ])
    expect(chain.map((s) => [s.location, s.events])).toEqual([
      ['WH', ['received', 'quarantined']],
      [null, ['returned_to_vendor']],
    ])
  })
})

describe('exceptions', () => {
  it('names users whose adjustments pass the threshold, with the reason', () => {
    const found = adjustmentsAbove(
      [
        { actor: 'eve', valueMinor: 250_000, events: 3, location: 'ST', last: 'x' },
        { actor: 'sam', valueMinor: 10_000, events: 1, location: 'ST', last: 'x' },
      ],
      100_000,
    )
    expect(found).toMatchObject([{ kind: 'adjustments_above_threshold', actor: 'eve', location: 'ST' }])
    expect(found[0]!.reason).toBe('eve adjusted 3 time(s) for 2500.00 at cost, above the threshold of 1000.00')
  })
})
