import { describe, expect, it } from 'vitest'
import { signatureHeader, verifySignature } from './webhook-signature.js'
import { afterFailure, eventTypesOf, nextAttemptAt, storedEventTypes } from './webhooks.rules.js'

const now = new Date('2026-12-01T12:00:00Z')

describe('webhook signatures', () => {
  const body = '{"id":"e1"}'
  const header = signatureHeader('s3cret', 1_764_590_400, body)

  it('verify with the same secret, body and a timestamp within tolerance', () =>
    expect(verifySignature('s3cret', header, body, 1_764_590_400 + 60)).toBe(true))

  it('fail for another secret, a changed body, an old timestamp or no header', () => {
    expect(verifySignature('other', header, body, 1_764_590_400)).toBe(false)
    expect(verifySignature('s3cret', header, '{"id":"e2"}', 1_764_590_400)).toBe(false)
    expect(verifySignature('s3cret', header, body, 1_764_590_400 + 301)).toBe(false)
    expect(verifySignature('s3cret', undefined, body, 1_764_590_400)).toBe(false)
  })
})

describe('retries', () => {
  it('back off exponentially from one second, capped at an hour', () => {
    expect(nextAttemptAt(now, 1).getTime() - now.getTime()).toBe(1000)
    expect(nextAttemptAt(now, 4).getTime() - now.getTime()).toBe(8000)
    expect(nextAttemptAt(now, 40).getTime() - now.getTime()).toBe(3_600_000)
  })

  it('turn a delivery into a dead letter after its last attempt', () => {
    expect(afterFailure(now, 2, 3)).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + 2000) })
    expect(afterFailure(now, 3, 3)).toEqual({ status: 'dead' })
  })
})

describe('event type filters', () => {
  it('store a list as a delimited set and everything as *', () => {
    expect(storedEventTypes(['sold', 'moved', 'sold'])).toBe(',moved,sold,')
    expect(storedEventTypes([])).toBe('*')
    expect(eventTypesOf(',moved,sold,')).toEqual(['moved', 'sold'])
  })
})
