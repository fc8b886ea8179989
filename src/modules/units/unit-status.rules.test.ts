import { describe, expect, it } from 'vitest'
import {
  isObservation,
  lineTransitionOf,
  lineTransitionText,
  statusAfter,
  TRANSITIONS,
  transitionRefusal,
  UNIT_EVENT_TYPES,
  UNIT_STATUSES,
} from './unit-status.rules.js'

const unit = (status: (typeof UNIT_STATUSES)[number]) => ({ serial: 'SN-1', skuCode: 'PHX', status })

describe('unit state machine', () => {
  it('sells only in-stock units and names the unit and status otherwise', () => {
    expect(transitionRefusal('sold', unit('in_stock'))).toBeUndefined()
    expect(transitionRefusal('sold', unit('in_transit'))).toBe('PHX SN-1 is in_transit; sold needs in_stock')
    expect(transitionRefusal('sold', unit('returned'))).toContain('is returned')
  })
  it('treats scrapped and returned-to-vendor as final for every event', () => {
    for (const type of UNIT_EVENT_TYPES.filter((t) => !isObservation(t))) {
      expect(transitionRefusal(type, unit('scrapped'))).toBeDefined()
      expect(transitionRefusal(type, unit('returned_to_vendor'))).toBeDefined()
    }
  })
  it('keeps the status on a move and sets it otherwise', () => {
    expect(statusAfter('moved', 'quarantined')).toBe('quarantined')
    expect(statusAfter('transfer_shipped', 'in_stock')).toBe('in_transit')
    expect(statusAfter('lost', 'in_transit')).toBe('missing')
    expect(statusAfter('found', 'missing')).toBe('in_stock')
  })
  it('lets a count see a unit in any status without changing it', () => {
    for (const status of UNIT_STATUSES) expect(transitionRefusal('counted', unit(status))).toBeUndefined()
    expect(statusAfter('counted', 'sold')).toBe('sold')
    expect(isObservation('counted')).toBe(true)
    expect(isObservation('lost')).toBe(false)
  })
  it('reads a count close line’s own transition and location, and the event’s for any other event', () => {
    const moved = { type: 'moved' as const, locationId: 'loc-B' }
    expect(lineTransitionText(moved)).toBe('{"as":"moved","location":"loc-B"}')
    expect(lineTransitionOf('count_closed', 'loc-ST', lineTransitionText(moved))).toEqual(moved)
    expect(lineTransitionOf('count_closed', 'loc-ST', '{"as":"lost"}')).toEqual({ type: 'lost', locationId: null })
    expect(lineTransitionOf('sold', 'loc-ST', null)).toEqual({ type: 'sold', locationId: 'loc-ST' })
    expect(() => lineTransitionOf('count_closed', 'loc-ST', '{"as":"sold"}')).toThrow(/names no transition/)
    expect(() => lineTransitionOf('count_closed', 'loc-ST', null)).toThrow(/names no transition/)
  })
  it('only names real statuses', () => {
    for (const t of Object.values(TRANSITIONS)) for (const s of t.from) expect(UNIT_STATUSES).toContain(s)
  })
})
