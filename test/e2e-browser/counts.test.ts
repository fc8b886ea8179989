/*
 * Cycle counts in a real browser: a manager starts a blind count, a clerk scans on the count screen (live
 * tally, no expected list), the manager reviews the reconciliation and closes it; the shrinkage,
 * exceptions, custody and ledger verification screens show what the close posted.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { receive } from '../../src/modules/receiving/index.js'
import { browserSuite, chromiumAvailable, snap } from './browser-harness.js'

describe.skipIf(!chromiumAvailable())('cycle counts in Chromium', () => {
  const suite = browserSuite({
    users: { mona: 'manager', cole: 'clerk' },
    seed: async ({ ctx }) => {
      await createSku(ctx, { code: 'PHX', name: 'Phone X', tracking: 'serial', cost: 400, price: 799 })
      await createLocation(ctx, { code: 'ST', name: 'Store', level: 'site', kind: 'store' })
      await createLocation(ctx, { code: 'ST-A', name: 'Zone A', level: 'zone', parent: 'ST' })
      await createParty(ctx, { code: 'ACME', name: 'Acme', role: 'supplier' })
      const request = { supplier: 'ACME', location: 'ST-A', lines: [{ sku: 'PHX', serials: ['C-1', 'C-2', 'C-3'] }] }
      await execute(ctx, receive, { actor: 'seed', request }, request)
    },
  })
  let manager: Page
  let clerk: Page
  let number = ''

  beforeAll(async () => {
    manager = await suite.signedIn('mona')
    clerk = await suite.signedIn('cole')
  })

  it('a manager starts a blind count from the counts page', async () => {
    await manager.goto(`${suite.server.url}/counts`)
    await manager.getByLabel('Location to count').fill('ST')
    await manager.getByRole('button', { name: 'Start count' }).click()
    await manager.locator('[data-ready="count"]').waitFor()
    number = decodeURIComponent(new URL(manager.url()).pathname.split('/').pop()!)
    expect(number).toMatch(/^CNT-/)
    await expect.poll(() => manager.locator('.lead').textContent()).toContain('blind')
  })

  it('a clerk scans on the count screen: a live tally, flags, and no expected list', async () => {
    await clerk.goto(`${suite.server.url}/counts/${encodeURIComponent(number)}`)
    await clerk.locator('[data-ready="count"]').waitFor()
    const field = clerk.locator('#count-scan')
    for (const code of ['C-1', 'C-2', 'C-1', 'GHOST-9']) {
      await field.pressSequentially(code)
      await field.press('Enter')
    }
    const lines = clerk.locator('[data-testid="scan-lines"] li')
    const tones = async () => Promise.all((await lines.all()).map((l) => l.getAttribute('data-tone')))
    await expect.poll(tones).toEqual(['warn', 'warn', 'ok', 'ok'])
    await expect.poll(() => clerk.getByTestId('tally').textContent()).toBe('4')
    const text = (await clerk.locator('main').textContent()) ?? ''
    expect(text).toContain('no unit with serial GHOST-9')
    expect(text).toContain('scanned before')
    // Blind: the unscanned unit appears nowhere, and the clerk has no review.
    expect(text).not.toContain('C-3')
    expect(await clerk.getByRole('link', { name: 'Review' }).count()).toBe(0)
    await snap(clerk, 'count-screen')
  })

  it('the manager reviews the reconciliation and closes the count', async () => {
    await manager.goto(`${suite.server.url}/counts/${encodeURIComponent(number)}/review`)
    await manager.locator('[data-ready="review"]').waitFor()
    await expect.poll(() => manager.getByTestId('bucket-missing').textContent()).toContain('C-3')
    expect(await manager.getByTestId('bucket-missing').locator('h2').textContent()).toContain('Missing: 1')
    expect(await manager.getByTestId('bucket-unknown').textContent()).toContain('GHOST-9')
    await snap(manager, 'count-review')
    await manager.getByRole('button', { name: 'Close count' }).click()
    await expect.poll(() => manager.locator('.ok-box').textContent()).toContain('1 missing')
  })

  it('shows the loss on the shrinkage dashboard, custody on the unit page, and a verified ledger', async () => {
    await manager.goto(`${suite.server.url}/shrinkage`)
    await expect.poll(() => manager.getByTestId('lost-units').textContent()).toContain('C-3')
    expect(await manager.getByTestId('shrinkage-value').textContent()).toContain('400')
    expect(await manager.locator('[data-testid="chart-shrinkage-over-time"] svg').count()).toBe(1)
    await snap(manager, 'shrinkage')
    await manager.getByTestId('lost-units').getByRole('link', { name: 'C-3' }).click()
    await expect.poll(() => manager.getByTestId('custody').textContent()).toContain('mona')
    await manager.goto(`${suite.server.url}/exceptions`)
    await manager.getByTestId('exceptions').waitFor()
    await manager.goto(`${suite.server.url}/audit`)
    await manager.getByRole('button', { name: 'Run ledger check' }).click()
    await expect.poll(() => manager.getByTestId('check-ok').textContent()).toContain('Ledger verified')
  })
})
