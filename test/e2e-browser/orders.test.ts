/*
 * Scan-to-fulfil in a real browser (Debian's Chromium via playwright-core) against the real server: a
 * clerk opens an order's fulfil screen, scans, hears and sees each refusal at once (wrong SKU, already
 * picked, not in stock, unknown), ships the picked part, and the rest stays open as a back-order.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { apply, runCommand } from '../../src/modules/operations/index.js'
import { orderView, placeOrder } from '../../src/modules/orders/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { receive } from '../../src/modules/receiving/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { caught } from '../factories.js'
import { browserSuite, chromiumAvailable, signIn, snap, wedgeScan } from './browser-harness.js'

describe.skipIf(!chromiumAvailable())('scan-to-fulfil in Chromium', () => {
  let page: Page
  let number = ''

  const suite = browserSuite({
    users: { carl: 'clerk', ada: 'admin' },
    seed: async (server) => {
      const { ctx } = server
      const run = <R>(fn: Parameters<typeof runCommand<R>>[2]) => runCommand(ctx, { actor: 'setup' }, fn)
      await createSku(ctx, { code: 'PHX', name: 'Phone X', tracking: 'serial', cost: 400, price: 799 })
      await createSku(ctx, { code: 'TAB', name: 'Tablet', tracking: 'serial', cost: 200, price: 399 })
      await createLocation(ctx, { code: 'WH', name: 'Warehouse', level: 'site', kind: 'warehouse' })
      await createParty(ctx, { code: 'ACME', name: 'Acme', role: 'supplier' })
      await createParty(ctx, { code: 'JANE', name: 'Jane Doe', role: 'customer' })
      await run((s) =>
        apply(s, receive, {
          supplier: 'ACME',
          location: 'WH',
          lines: [
            { sku: 'PHX', serials: ['PHX-1', 'PHX-2', 'PHX-3'] },
            { sku: 'TAB', serials: ['TAB-1'] },
          ],
        }),
      )
      await run((s) => apply(s, sell, { orderRef: 'walk-in', units: ['PHX-3'] }))
      const placed = await run((s) =>
        apply(s, placeOrder, {
          externalRef: 'SHOP-1001',
          customer: 'JANE',
          site: 'WH',
          lines: [{ sku: 'PHX', quantity: 2 }],
        }),
      )
      number = placed.result.number
    },
  })
  beforeAll(async () => {
    page = await suite.newPage()
  })

  const scan = (code: string) => wedgeScan(page, '#fulfil-scan', code)

  it('lists the order, shows where to pick, checks each scan and ships the picked part', async () => {
    await signIn(page, suite.server.url, 'carl')
    await page.getByRole('link', { name: 'Orders', exact: true }).first().click()
    await page.getByRole('link', { name: number }).click()
    await page.getByRole('link', { name: 'Pick list' }).click()
    await expect.poll(() => page.getByTestId('pick-list').textContent()).toMatch(/PHX-1 at WH.*PHX-2 at WH/)
    await page.goBack()
    await page.getByRole('link', { name: 'Scan to fulfil' }).click()
    await page.locator('#fulfil-scan').focus()

    expect(await scan('TAB-1')).toMatch(/TAB TAB-1: TAB is not on this order/)
    expect(await scan('PHX-3')).toMatch(/PHX PHX-3 is sold, not in stock/)
    expect(await scan('NOPE-1')).toMatch(/NOPE-1/)
    expect(await scan('PHX-1')).toMatch(/PHX PHX-1 picked \(1 more PHX to pick\)/)
    expect(await scan('PHX-1')).toMatch(/PHX-1/)
    expect(await page.getByTestId('tally-picked').textContent()).toBe('1')
    expect(await page.getByTestId('tally-refused').textContent()).toBe('4')
    await snap(page, 'fulfil-batch')

    // The pick is stored (an order_picked event), not held by this page: a reload still shows it, and a
    // plain sale of the picked unit is refused, naming the order.
    await page.reload()
    await expect.poll(() => page.getByTestId('tally-picked').textContent()).toBe('1')
    const walkIn = await caught(() =>
      runCommand(suite.server.ctx, { actor: 'till' }, (s) => apply(s, sell, { orderRef: 'walk-in', units: ['PHX-1'] })),
    )
    expect(walkIn).toMatchObject({ code: 'order.reserved', message: expect.stringContaining(number) })
    await page.getByRole('button', { name: 'Ship 1 picked' }).click()
    await page.getByRole('status').filter({ hasText: 'Shipped 1 unit' }).waitFor()
    await expect.poll(() => page.getByTestId('order-status').textContent()).toBe('partially shipped')
    expect(await page.getByTestId('open-lines').textContent()).toContain('PHX Phone X: 1')

    const order = await orderView(suite.server.db.kysely, number)
    expect(order.status).toBe('partially_shipped')
    expect(order.shipments).toEqual([expect.objectContaining({ serials: ['PHX-1'] })])
    expect(order.lines[0]).toMatchObject({ shipped: 1, open: 1 })
  })

  it('lets an admin subscribe a webhook, showing its secret once, and open its delivery log', async () => {
    await page.context().clearCookies()
    await signIn(page, suite.server.url, 'ada')
    await page.getByRole('link', { name: 'Webhooks' }).click()
    await page.getByLabel('Name').fill('shop sync')
    await page.getByLabel('URL').fill('http://127.0.0.1:9/hook')
    await page.getByLabel('Event types').fill('sold, order_placed')
    await page.getByRole('button', { name: 'Subscribe' }).click()
    await expect.poll(() => page.getByTestId('webhook-secret').textContent()).toMatch(/^whsec_/)
    await page.getByRole('button', { name: 'Deliveries' }).click()
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor()
    await snap(page, 'webhooks')
    expect(await page.getByRole('region', { name: 'Webhook subscriptions' }).textContent()).toContain(
      'order_placed, sold',
    )
  })
})
