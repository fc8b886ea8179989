/*
 * Verified returns, the warranty check and the public check in a real browser: a clerk sees each check
 * of a return passed or failed with its reason and the fraud signals, and cannot override; a manager
 * overrides with a reason; the public page opens without sign-in on a phone and shows nothing personal.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { apply, runCommand } from '../../src/modules/operations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { receive } from '../../src/modules/receiving/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { rotateCheckToken } from '../../src/modules/warranty/index.js'
import { browserSuite, chromiumAvailable, snap } from './browser-harness.js'

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString()

describe.skipIf(!chromiumAvailable())('verified returns, warranty and the public check in Chromium', () => {
  let token = ''
  const suite = browserSuite({
    users: { carl: 'clerk', mia: 'manager' },
    seed: async ({ ctx }) => {
      const run = <R>(fn: Parameters<typeof runCommand<R>>[2]) => runCommand(ctx, { actor: 'setup' }, fn)
      await createSku(ctx, {
        code: 'PHX',
        name: 'Phone X',
        tracking: 'serial',
        cost: 400,
        price: 799,
        warrantyMonths: 24,
      })
      await createLocation(ctx, { code: 'STORE', name: 'Store', level: 'site', kind: 'store' })
      await createParty(ctx, { code: 'ACME', name: 'Acme', role: 'supplier' })
      await createParty(ctx, {
        code: 'JANE',
        name: 'Jane Privateperson',
        role: 'customer',
        email: 'jane.private@example.com',
        phone: '+44 7700 900555',
      })
      await run((s) =>
        apply(s, receive, {
          supplier: 'ACME',
          location: 'STORE',
          receivedAt: daysAgo(100),
          lines: [{ sku: 'PHX', serials: ['PHX-1', 'PHX-2', 'PHX-3', 'PHX-4'] }],
        }),
      )
      await run((s) =>
        apply(s, sell, { customer: 'JANE', orderRef: 'ORD-SECRET-1', units: ['PHX-2'], soldAt: daysAgo(60) }),
      )
      await run((s) =>
        apply(s, sell, { customer: 'JANE', orderRef: 'ORD-SECRET-1', units: ['PHX-1', 'PHX-4'], soldAt: daysAgo(5) }),
      )
      token = (await run((s) => apply(s, rotateCheckToken, { serial: 'PHX-4' }))).result.token
    },
  })

  const asUser = (username: string): Promise<Page> => suite.signedIn(username)

  async function verify(page: Page, serials: string) {
    await page.goto(`${suite.server.url}/returns/verify`)
    await page.getByLabel('Returned to (location)').fill('STORE')
    await page.getByLabel('Customer code').fill('JANE')
    await page.getByLabel('Serials (scan one per line)').fill(serials)
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByTestId('return-verification').waitFor()
  }
  const failed = async (page: Page) =>
    Promise.all((await page.locator('.check-fail').all()).map((l) => l.getAttribute('data-check')))

  it('shows a clerk each check and the fraud signals; the clerk takes a clean return and restocks it', async () => {
    const page = await asUser('carl')
    await verify(page, 'PHX-1\nPHX-3\nPHX-2')
    expect(await failed(page)).toEqual(['never_sold', 'outside_window'])
    const text = (await page.getByTestId('return-verification').textContent()) ?? ''
    expect(text).toContain('PHX-3 was never sold: it is in our stock (a swap?)')
    expect(text).toContain('(a manager may override)')
    expect(await page.locator('.check-pass').count()).toBeGreaterThanOrEqual(4)
    await snap(page, 'return-wizard-clerk')
    expect(await page.getByLabel(/Override outside window/).count()).toBe(0)

    await verify(page, 'PHX-1')
    expect(await failed(page)).toEqual([])
    await page.getByRole('button', { name: 'Accept return' }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Return RMA-\d+ taken: 1 units/)
    await page.getByRole('button', { name: 'Record disposition' }).click()
    await expect.poll(() => page.getByRole('status').last().textContent()).toMatch(/Done: RMD-\d+/)
    const unit = await suite.server.db.kysely
      .selectFrom('unit')
      .select('status')
      .where('serial', '=', 'PHX-1')
      .executeTakeFirst()
    expect(unit?.status).toBe('in_stock')
  })

  it('lets a manager override a failed check with a reason, kept on the event', async () => {
    const page = await asUser('mia')
    await verify(page, 'PHX-2')
    expect(await failed(page)).toEqual(['outside_window'])
    await page.getByLabel('Override outside window: reason').fill('receipt lost in the post, goodwill')
    await snap(page, 'return-wizard-manager')
    await page.getByRole('button', { name: 'Accept return' }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/taken: 1 units/)
    const event = await suite.server.db.kysely
      .selectFrom('event')
      .select(['payload', 'actor'])
      .where('type', '=', 'returned')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(event.payload).overrides).toEqual([
      expect.objectContaining({
        serial: 'PHX-2',
        check: 'outside_window',
        reason: 'receipt lost in the post, goodwill',
      }),
    ])
  })

  it('checks a warranty by scan', async () => {
    const page = await asUser('carl')
    await page.goto(`${suite.server.url}/warranty`)
    await page.getByLabel('Scan or type a serial').fill('PHX-4')
    await page.getByLabel('Scan or type a serial').press('Enter')
    const card = page.getByTestId('warranty-result')
    await card.waitFor()
    expect(await card.textContent()).toMatch(/In warranty.*SKU policy: 24 months/)
    await snap(page, 'warranty-check')
  })

  it('opens the public check on a phone without sign-in, with nothing personal in it', async () => {
    const phone = await suite.newPage({ viewport: { width: 390, height: 844 }, isMobile: true })
    const res = await phone.goto(`${suite.server.url}/check/${token}`)
    const card = phone.getByTestId('public-check')
    await card.waitFor()
    expect(await card.textContent()).toMatch(/Genuine: sold by this store, in warranty\..*Phone X/)
    await snap(phone, 'public-check-phone')
    const html = await phone.content()
    const raw = (await res?.text()) ?? ''
    for (const secret of [
      'Jane',
      'Privateperson',
      'jane.private@example.com',
      '900555',
      'ORD-SECRET-1',
      'JANE',
      'PHX-4',
    ])
      for (const text of [html, raw]) expect(text).not.toContain(secret)
    expect(await phone.locator('#global-scan').count()).toBe(0)
    await phone.goto(`${suite.server.url}/check/made-up-token-123456789`)
    await phone.getByTestId('public-check').waitFor()
    expect(await phone.getByTestId('public-check').textContent()).toContain('We cannot confirm this product')
  })
})
