import { describe, expect, it } from 'vitest'
import { daysInStock, windowStatus } from '../../web/src/unit-age.js'

const now = new Date('2026-12-01T12:00:00Z')

describe('days in stock', () => {
  it('counts from receipt to today while the unit is ours, and to the sale once sold', () => {
    expect(daysInStock({ receivedAt: '2026-11-21T09:00:00Z', soldAt: null, status: 'in_stock' }, now)).toBe(10)
    expect(daysInStock({ receivedAt: '2026-11-21T09:00:00Z', soldAt: null, status: 'in_transit' }, now)).toBe(10)
    const sold = { receivedAt: '2026-11-01T09:00:00Z', soldAt: '2026-11-04T10:00:00Z', status: 'sold' as const }
    expect(daysInStock(sold, now)).toBe(3)
  })
  it('has no figure for a unit lost or scrapped', () => {
    expect(daysInStock({ receivedAt: '2026-11-01T09:00:00Z', soldAt: null, status: 'scrapped' }, now)).toBeUndefined()
  })
})

describe('return window and warranty', () => {
  it('is open until its last day, with the days left', () => {
    expect(windowStatus('2026-12-01', now)).toEqual({ isOpen: true, endsOn: '2026-12-01', days: 0 })
    expect(windowStatus('2026-12-31', now)).toEqual({ isOpen: true, endsOn: '2026-12-31', days: 30 })
  })
  it('is closed after it, with the days since', () => {
    expect(windowStatus('2026-11-28', now)).toEqual({ isOpen: false, endsOn: '2026-11-28', days: 3 })
    expect(windowStatus(null, now)).toBeUndefined()
  })
})
