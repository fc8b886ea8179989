/*
 * Markdowns in a real browser: a manager opens the markdown list (units ageing past the group's rule),
 * picks a line and applies it; the price-change event is written, the list empties, and the unit page
 * shows the new price. The ageing, SKU (life-cycle curve, edit form with its life-cycle settings and
 * history) and advisor pages render with their charts.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { putPolicy } from '../../src/modules/pricing/index.js'
import { receive } from '../../src/modules/receiving/index.js'
import { browserSuite, chromiumAvailable, snap } from './browser-harness.js'

describe.skipIf(!chromiumAvailable())('markdowns in Chromium', () => {
  const suite = browserSuite({
    users: { mona: 'manager' },
    seed: async ({ ctx }) => {
      await createSku(ctx, {
        code: 'PHX',
        name: 'Phone X',
        tracking: 'serial',
        cost: 400,
        price: 800,
        skuGroup: 'PHONES',
      })
      await createLocation(ctx, { code: 'ST', name: 'Store', level: 'site', kind: 'store' })
      await createParty(ctx, { code: 'ACME', name: 'Acme', role: 'supplier' })
      // Received 120 days ago (the receipt's business time is its command's clock), and two today.
      const past = { db: ctx.db, clock: { now: () => new Date(Date.now() - 120 * 86_400_000) } }
      const old = { supplier: 'ACME', location: 'ST', lines: [{ sku: 'PHX', serials: ['M-1', 'M-2', 'M-3'] }] }
      await execute(past, receive, { actor: 'seed', request: old }, old)
      const fresh = { supplier: 'ACME', location: 'ST', lines: [{ sku: 'PHX', serials: ['N-1', 'N-2'] }] }
      await execute(ctx, receive, { actor: 'seed', request: fresh }, fresh)
      await putPolicy(ctx, 'seed', 'PHONES', {
        rules: [{ minAgeDays: 90, action: 'discount', percent: 20 }],
        periodDays: 30,
        maxMarkdowns: 1,
        maxDepthPct: 30,
      })
    },
  })
  let manager: Page

  beforeAll(async () => {
    manager = await suite.signedIn('mona')
  })

  it('a manager applies a picked markdown line: one price event, the list empties', async () => {
    await manager.goto(`${suite.server.url}/markdowns`)
    const table = manager.getByTestId('markdowns')
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1)
    const row = (await table.locator('tbody tr').first().textContent()) ?? ''
    expect(row).toContain('PHX')
    expect(row).toContain('M-1, M-2, M-3')
    await snap(manager, 'markdowns-list')
    await manager.getByLabel('Pick PHX at 800').check()
    await manager.getByRole('button', { name: /Apply selected \(3 units\)/ }).click()
    await expect.poll(() => manager.getByRole('status').textContent()).toMatch(/PRC-\d+, 3 unit\(s\) repriced/)
    await expect.poll(() => manager.locator('main').textContent()).toContain('No markdown is recommended now.')
    const events = await suite.server.db.kysely.selectFrom('event').select(['type', 'reason', 'unit_count']).execute()
    expect(events.filter((e) => e.type === 'price_changed')).toEqual([
      { type: 'price_changed', reason: 'markdown', unit_count: 3 },
    ])
    const prices = await suite.server.db.kysely
      .selectFrom('unit')
      .select(['serial', 'list_price_minor'])
      .orderBy('serial')
      .execute()
    expect(prices.map((p) => [p.serial, p.list_price_minor === null ? null : Number(p.list_price_minor)])).toEqual([
      ['M-1', 64000],
      ['M-2', 64000],
      ['M-3', 64000],
      ['N-1', null],
      ['N-2', null],
    ])
    await expect.poll(() => manager.getByTestId('discount-share').textContent()).toContain('No sales yet.')
    await snap(manager, 'markdowns-applied')
  })

  it('the unit page shows its own price and ages; ageing, SKU and advisor pages render', async () => {
    const id = (
      await suite.server.db.kysely.selectFrom('unit').select('id').where('serial', '=', 'M-1').executeTakeFirstOrThrow()
    ).id
    await manager.goto(`${suite.server.url}/units/${id}`)
    await expect
      .poll(() => manager.getByTestId('unit-pricing').textContent())
      .toMatch(/Current price.*640.*120 days since receipt/)
    await snap(manager, 'unit-pricing')
    await manager.goto(`${suite.server.url}/ageing`)
    await manager.getByTestId('ageing-histogram').locator('svg').first().waitFor()
    await expect.poll(() => manager.locator('main table').textContent()).toContain('PHX')
    await snap(manager, 'ageing')
    await manager.goto(`${suite.server.url}/skus/PHX`)
    await manager.getByTestId('lifecycle-curve').waitFor()
    await manager.getByLabel('List price').fill('850')
    await manager.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => manager.getByTestId('history').textContent()).toContain('850')
    // Its life-cycle settings on the same form: a bad bucket is refused naming the field, nothing written.
    await manager.getByLabel(/Weeks of history needed/).fill('2')
    await manager.getByLabel(/Ageing buckets, days/).fill('7,x')
    await manager.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => manager.getByRole('alert').textContent()).toContain('lifecycle.ageingBuckets.1')
    const settings = () =>
      suite.server.db.kysely
        .selectFrom('sku')
        .select('lifecycle_settings')
        .where('code', '=', 'PHX')
        .executeTakeFirstOrThrow()
    expect(await settings()).toEqual({ lifecycle_settings: null })
    await manager.getByLabel(/Ageing buckets, days/).fill('7,14')
    await manager.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => manager.getByTestId('history').textContent()).toContain('ageingBuckets')
    expect(JSON.parse((await settings()).lifecycle_settings!)).toEqual({
      stage: { minWeeks: 2 },
      ageingBuckets: [7, 14],
    })
    await snap(manager, 'sku-edit')
    await manager.goto(`${suite.server.url}/advisor`)
    await expect.poll(() => manager.getByTestId('advisor').textContent()).toContain('PHX')
    await snap(manager, 'advisor')
  })
})
