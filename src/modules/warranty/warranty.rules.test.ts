import { describe, expect, it } from 'vitest'
import {
  claimantMatches,
  effectiveWarranty,
  normalisePhone,
  replacementEnd,
  supplierWarranty,
  termForSale,
  unitWarrantyFacts,
  type WarrantyFacts,
  type WarrantyPolicy,
} from './warranty.rules.js'

const policy = (over: Partial<WarrantyPolicy> = {}): WarrantyPolicy => ({
  months: 24,
  startsAt: 'sale',
  coverage: null,
  termsBySaleDate: [],
  replacementRule: 'remaining',
  replacementMinDays: 0,
  supplierMonths: 12,
  supplierStartsAt: 'receipt',
  publicCheck: true,
  ...over,
})
const facts = (over: Partial<WarrantyFacts> = {}): WarrantyFacts => ({
  policy: policy(),
  receivedAt: '2026-01-10T09:00:00Z',
  soldAt: '2026-02-15T12:00:00Z',
  ...over,
})

describe('the effective warranty of a unit', () => {
  it("gives the SKU's term from the sale day, ending the day before the anniversary", () => {
    expect(effectiveWarranty(facts(), '2026-03-01')).toMatchObject({
      status: 'in_warranty',
      rule: 'sku_policy',
      months: 24,
      startsOn: '2026-02-15',
      endsOn: '2028-02-14',
    })
  })

  it('starts at our receipt when the policy says so', () =>
    expect(effectiveWarranty(facts({ policy: policy({ startsAt: 'receipt' }) }), '2026-03-01')).toMatchObject({
      startsOn: '2026-01-10',
      endsOn: '2028-01-09',
    }))

  it('reports expired after the end and not sold before a sale', () => {
    expect(effectiveWarranty(facts(), '2028-02-15').status).toBe('expired')
    expect(effectiveWarranty(facts(), '2028-02-14').status).toBe('in_warranty')
    expect(effectiveWarranty(facts({ soldAt: null }), '2026-03-01')).toMatchObject({ status: 'not_sold', endsOn: null })
  })

  it('reports void with its reason, whatever the dates', () => {
    const w = effectiveWarranty(facts({ voided: { reason: 'water damage', at: '2026-03-01' } }), '2026-03-02')
    expect(w.status).toBe('void')
    expect(w.explanation.at(-1)).toBe('voided: water damage')
  })

  it('a unit with an extended warranty reports the longer term; another unit of the SKU the SKU term', () => {
    const extended = effectiveWarranty(facts({ extended: { months: 12, priceMinor: 9900 } }), '2026-03-01')
    const plain = effectiveWarranty(facts(), '2026-03-01')
    expect(extended).toMatchObject({ rule: 'sku_policy', months: 24, extendedMonths: 12, endsOn: '2029-02-14' })
    expect(extended.explanation).toContain('extended warranty bought with the sale: +12 months')
    expect(plain).toMatchObject({ months: 24, extendedMonths: 0, endsOn: '2028-02-14' })
  })

  it("a lot's term applies to units of that lot only", () => {
    const lot = effectiveWarranty(facts({ lotOverride: { months: 6, label: 'refurbished batch' } }), '2026-03-01')
    expect(lot).toMatchObject({ rule: 'lot_override', months: 6, endsOn: '2026-08-14' })
    expect(lot.explanation[0]).toMatch(/lot term: refurbished batch/)
    expect(effectiveWarranty(facts(), '2026-03-01').rule).toBe('sku_policy')
  })

  it("a unit's own term (open-box) wins over its lot's and the SKU's", () =>
    expect(
      effectiveWarranty(
        facts({ lotOverride: { months: 6, label: 'lot' }, unitOverride: { months: 3, label: 'open-box' } }),
        '2026-03-01',
      ),
    ).toMatchObject({ rule: 'unit_override', months: 3, endsOn: '2026-05-14' }))

  it('a term by sale date gives two units of one SKU sold at different times different terms', () => {
    const p = policy({ termsBySaleDate: [{ soldFrom: '2026-06-01', months: 12, label: 'end of life' }] })
    const early = effectiveWarranty(facts({ policy: p, soldAt: '2026-05-31T18:00:00Z' }), '2026-07-01')
    const late = effectiveWarranty(facts({ policy: p, soldAt: '2026-06-01T09:00:00Z' }), '2026-07-01')
    expect(early).toMatchObject({ rule: 'sku_policy', months: 24, endsOn: '2028-05-30' })
    expect(late).toMatchObject({ rule: 'sale_date_term', months: 12, endsOn: '2027-05-31' })
    expect(late.explanation[0]).toMatch(/term for sales from 2026-06-01: end of life/)
  })

  it('a term naming a life-cycle stage matches only a sale in that stage (the seam for issue 16)', () => {
    const p = policy({ termsBySaleDate: [{ soldFrom: '2020-01-01', stage: 'clearance', months: 6, label: 'clear' }] })
    expect(termForSale(p, '2026-06-01', 'clearance').months).toBe(6)
    expect(termForSale(p, '2026-06-01', 'active').months).toBe(24)
    expect(termForSale(p, '2026-06-01').months).toBe(24)
  })

  it('a replacement inherits the remaining warranty to the day', () => {
    const original = effectiveWarranty(facts(), '2026-09-20')
    const endsOn = replacementEnd(policy(), original.endsOn!, '2026-09-20')
    const w = effectiveWarranty(
      facts({ soldAt: '2026-09-20T10:00:00Z', replacementOf: { serial: 'SN-OLD', endsOn } }),
      '2026-09-21',
    )
    expect(w).toMatchObject({ rule: 'replacement', startsOn: '2026-09-20', endsOn: '2028-02-14' })
    expect(w.explanation[0]).toBe('replacement for SN-OLD: inherits its warranty to 2028-02-14')
  })

  it('the replacement rule "remaining or N days, whichever is longer" is an option', () => {
    const p = policy({ replacementRule: 'remaining_or_days', replacementMinDays: 90 })
    expect(replacementEnd(p, '2026-10-01', '2026-09-20')).toBe('2026-12-19')
    expect(replacementEnd(p, '2027-10-01', '2026-09-20')).toBe('2027-10-01')
    expect(replacementEnd(policy(), '2026-10-01', '2026-09-20')).toBe('2026-10-01')
  })
})

describe('the supplier warranty', () => {
  it('runs from our receipt, apart from the customer warranty', () => {
    expect(supplierWarranty(policy(), '2026-01-10T09:00:00Z', null, '2027-01-09')).toEqual({
      months: 12,
      endsOn: '2027-01-09',
      covered: true,
    })
    expect(supplierWarranty(policy(), '2026-01-10T09:00:00Z', null, '2027-01-10').covered).toBe(false)
    expect(supplierWarranty(policy({ supplierMonths: 0 }), '2026-01-10', null, '2026-02-01').covered).toBe(false)
  })
})

describe('the claimant check', () => {
  const owner = { customerCode: 'CUS-1', orderRef: 'ORD-9', email: 'Jane@Example.com', phone: '+44 7700 900123' }
  it('matches by customer code, order number, normalised e-mail or phone', () => {
    expect(claimantMatches({ customer: 'cus-1' }, owner)).toEqual(['customer'])
    expect(claimantMatches({ orderRef: 'ORD-9' }, owner)).toEqual(['order'])
    expect(claimantMatches({ email: '  jane@example.COM ' }, owner)).toEqual(['email'])
    expect(claimantMatches({ phone: '07700-900-123' }, owner)).toEqual(['phone'])
  })
  it('matches nothing for someone else', () => {
    expect(
      claimantMatches({ customer: 'CUS-2', orderRef: 'ORD-1', email: 'x@y.z', phone: '0123 456 789' }, owner),
    ).toEqual([])
  })
  it('compares phones by their last nine digits', () => expect(normalisePhone('0044 (7700) 900123')).toBe('700900123'))
})

describe("a unit's warranty facts from its events", () => {
  const ev = (seq: number, type: string, payload: Record<string, unknown> = {}, reason: string | null = null) => ({
    seq,
    type,
    occurredAt: `2026-0${seq}-01T00:00:00Z`,
    reason,
    payload,
  })
  it("reads the latest sale's extended warranty and a void since that sale; a void before a resale is gone", () => {
    const events = [
      ev(1, 'sold'),
      ev(2, 'warranty_voided', {}, 'tampered'),
      ev(3, 'returned'),
      ev(4, 'sold', { extendedWarranty: { SN1: { months: 12, priceMinor: 5000 } } }),
    ]
    expect(unitWarrantyFacts('SN1', events)).toMatchObject({ extended: { months: 12 }, voided: undefined })
    expect(unitWarrantyFacts('SN1', events.slice(0, 2)).voided).toEqual({
      reason: 'tampered',
      at: '2026-02-01T00:00:00Z',
    })
  })
  it('reads an open-box restock as the unit’s own term, and a hand-over', () => {
    const events = [
      ev(1, 'restocked_open_box', { warrantyMonths: 6, label: 'open-box' }),
      ev(2, 'sold'),
      ev(3, 'warranty_transferred', { customerId: 'c2' }),
    ]
    expect(unitWarrantyFacts('SN1', events)).toMatchObject({
      unitOverride: { months: 6, label: 'open-box' },
      transferred: true,
    })
  })
})
