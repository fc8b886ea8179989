/*
 * The web UI in a real browser (Debian's Chromium via playwright-core) against the real server: receive
 * 50 units by scanning them one after another, a duplicate refused, sell one, open its unit page and see
 * the sale in its timeline; the dashboard renders its charts; roles hide what they may not do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { createLocation } from '../../src/modules/locations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { createSku } from '../../src/modules/catalog/index.js'
import { runCommand } from '../../src/modules/operations/index.js'
import { apply } from '../../src/modules/operations/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { lookupUnits } from '../../src/modules/units/index.js'
import { getDocumentView } from '../../src/modules/documents/index.js'
import {
  addUser,
  browserSuite,
  chromiumAvailable,
  PASSWORD,
  PHONE,
  signIn,
  snap,
  wedgeScan,
} from './browser-harness.js'

/** What the page's globals look like from test code (the root tsconfig has no DOM types). */
interface Browserish {
  __slScanTimings?: number[]
  document: {
    activeElement: { id: string } | null
    documentElement: { scrollWidth: number }
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; click(): void }>
    getElementById(id: string): { focus(): void } | null
  }
}

const GTIN = '09506000134352'
const serials = Array.from({ length: 50 }, (_, i) => `PHX-${String(i + 1).padStart(4, '0')}`)

describe.skipIf(!chromiumAvailable())('web UI in Chromium', () => {
  let context: BrowserContext
  let page: Page
  const timings: number[] = []

  const suite = browserSuite({
    seed: async (server) => {
      const { ctx } = server
      await createSku(ctx, {
        code: 'PHX',
        name: 'Phone X 128GB',
        tracking: 'serial',
        gtin: GTIN,
        cost: 400,
        price: 799,
        warrantyMonths: 24,
      })
      await createSku(ctx, { code: 'CABLE', name: 'USB-C cable', tracking: 'quantity', cost: 2, price: 9 })
      await createSku(ctx, { code: 'CREAM', name: 'Screen cleaner', tracking: 'lot', cost: 1, price: 5 })
      await createLocation(ctx, { code: 'WH', name: 'Central warehouse', level: 'site', kind: 'warehouse' })
      await createLocation(ctx, { code: 'STORE-A', name: 'Store A', level: 'site', kind: 'store' })
      await createParty(ctx, { code: 'ACME', name: 'Acme Phones Ltd', role: 'supplier' })
      await createParty(ctx, { code: 'JANE', name: 'Jane Doe', role: 'customer' })
      await addUser(ctx, 'maria', 'manager')
      await addUser(ctx, 'carl', 'clerk')
      await addUser(ctx, 'audrey', 'auditor')
      await addUser(ctx, 'newbie', 'clerk', { mustChangePassword: true })
    },
  })
  beforeAll(async () => {
    context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    page.on('pageerror', (e) => console.error('page error:', e))
  })

  afterAll(async () => {
    if (timings.length > 0) {
      const sorted = [...timings].sort((a, b) => a - b)
      console.log(
        `scan Enter→feedback over ${sorted.length} scans: ` +
          `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, ` +
          `p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(1)} ms, ` +
          `max ${sorted[sorted.length - 1]!.toFixed(1)} ms`,
      )
    }
  })

  const feedback = () => page.getByTestId('scan-feedback')
  const scan = (code: string) => wedgeScan(page, '#scan', code)
  /**
   * Clicks a button and puts the cursor in a field in one task, then types there: as a quick clerk does,
   * before the page's deferred focus of its scan field runs. What is typed must stay in that field.
   */
  const clickThenType = async (button: string, fieldId: string, text: string) => {
    await page.getByRole('button', { name: button }).waitFor()
    await page.evaluate(
      async ({ name, id }) => {
        const { document } = globalThis as unknown as Browserish
        Array.from(document.querySelectorAll('button'))
          .find((b) => b.textContent === name)!
          .click()
        // React renders what the click changed in a microtask; the page's deferred focus waits for a timer.
        for (let i = 0; i < 20 && !document.getElementById(id); i++) await Promise.resolve()
        document.getElementById(id)!.focus()
      },
      { name: button, id: fieldId },
    )
    await page.getByRole('button', { name: button }).waitFor({ state: 'detached' })
    await page.keyboard.type(text)
    expect(await page.locator(`#${fieldId}`).inputValue()).toBe(text)
    expect(await page.locator('#scan').inputValue()).toBe('')
  }

  it('signs in, and sends an unauthenticated visitor to the sign-in page', async () => {
    await page.goto(suite.server.url + '/units')
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await snap(page, 'login')
    await signIn(page, suite.server.url, 'maria')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard')
  })

  it('receives 50 units scanned one after another, refusing a duplicate', async () => {
    await page.getByRole('link', { name: 'Receive', exact: true }).first().click()
    await page.locator('#rcv-supplier').fill('ACME')
    await page.locator('#rcv-location').fill('WH')
    await page.locator('#rcv-sku').fill('PHX')
    await page.getByText('Receipt details (optional)').click()
    await page.locator('#rcv-number').fill('R-1')
    await page.locator('#scan').focus()
    await page.evaluate(() => ((globalThis as unknown as Browserish).__slScanTimings = []))
    for (const s of serials) expect(await scan(s)).toContain(`${s} added`)
    await expect.poll(() => page.getByTestId('tally-scanned').textContent()).toBe('50')

    const dup = await scan('phx-0007')
    expect(dup).toMatch(/Duplicate: PHX-0007 is already in this receipt/)
    expect(await feedback().getAttribute('class')).toContain('feedback-error')
    expect(await page.getByTestId('tally-scanned').textContent()).toBe('50')
    expect(await page.getByTestId('tally-refused').textContent()).toBe('1')
    timings.push(...(await page.evaluate(() => (globalThis as unknown as Browserish).__slScanTimings ?? [])))
    await snap(page, 'receive-scanning')

    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: /Receipt .* received/ }).waitFor()
    expect(await page.locator('.success-box').textContent()).toContain('50 units')
    await snap(page, 'receive-done')
  })

  it('refuses a serial that already exists when receiving again', async () => {
    await page.getByRole('button', { name: 'Next receipt' }).click()
    const text = await scan('PHX-0001')
    expect(text).toContain('PHX-0001 already exists')
  })

  it('checks a receipt against the pasted manifest live, and takes a pasted list and a range', async () => {
    // The next receipt keeps the location and SKU, not the last delivery's supplier.
    expect(await page.locator('#rcv-supplier').inputValue()).toBe('')
    await page.locator('#rcv-supplier').fill('ACME')
    await page.locator('#rcv-sku').fill('PHX')
    await page.getByText('Expected serials (manifest)').click()
    await page.locator('#rcv-manifest').fill('M-1\nM-2\nM-3')
    await page.locator('#scan').focus()
    expect(await scan('m-1')).toContain('M-1 added')
    expect(await scan(`(01)${GTIN}(21)M-2`)).toContain('M-2 added')
    const odd = await scan('M-9')
    expect(odd).toContain('M-9 added (#3), but not on the manifest')
    expect(await feedback().getAttribute('class')).toContain('feedback-warn')
    expect(await page.getByTestId('tally-expected').textContent()).toBe('3')
    expect(await page.getByTestId('tally-missing').textContent()).toBe('1')
    expect(await page.getByTestId('tally-unexpected').textContent()).toBe('1')
    expect(await scan('(01)09506000134353(21)M-4')).toContain('GTIN 09506000134353 has a wrong check digit')

    await page.getByRole('tab', { name: 'Paste list' }).click()
    await page.locator('#rcv-paste').fill('L-1\nL-2\nL-2\nPHX-0001')
    await page.getByRole('button', { name: /Add 4 serials/ }).click()
    await expect.poll(() => feedback().textContent()).toMatch(/2 added, 2 refused/)
    await page.getByRole('tab', { name: 'Range' }).click()
    await page.locator('#rcv-range').fill('RG-{001..010}')
    await page.getByRole('button', { name: 'Add range' }).click()
    await expect.poll(() => page.getByTestId('tally-scanned').textContent()).toBe('15')
    await snap(page, 'receive-manifest')
    await page.getByRole('button', { name: 'Receive 15 units' }).click()
    await page.getByRole('heading', { name: /Receipt .* received/ }).waitFor()
    expect(await page.locator('.success-box').textContent()).toMatch(
      /15 units.*Manifest: 3 expected, 1 missing, 13 unexpected/s,
    )
  })

  it('sells one unit; a sold, unknown or repeated scan is refused alone and the batch stays', async () => {
    await page.getByRole('link', { name: 'Sell', exact: true }).first().click()
    await page.locator('#op-orderRef').fill('ORD-1')
    await page.locator('#op-customer').fill('JANE')
    await page.locator('#scan').focus()
    expect(await scan('PHX-0001')).toContain('PHX-0001 added')
    expect(await scan('PHX-0001')).toContain('Duplicate: PHX-0001')
    expect(await scan('NOPE-999')).toContain('Unknown code NOPE-999')
    expect(await page.getByTestId('tally-scanned').textContent()).toBe('1')
    await snap(page, 'sell-batch')
    await page.getByRole('button', { name: 'Sell 1 unit' }).click()
    await page.getByRole('heading', { name: 'Sell: done' }).waitFor()

    await page.getByRole('button', { name: 'Next batch' }).click()
    await page.locator('#op-orderRef').fill('ORD-2')
    expect(await scan('PHX-0002')).toContain('PHX-0002 added')
    const sold = await scan('PHX-0001')
    expect(sold).toMatch(/PHX-0001 is sold: cannot sell \(needs in stock\)/)
    expect(await page.getByTestId('tally-scanned').textContent()).toBe('1')
  })

  it('keeps the batch and marks the unit when the server refuses the submit', async () => {
    expect(await scan('PHX-0003')).toContain('PHX-0003 added')
    // Another till sells PHX-0003 between the scan and the submit.
    await runCommand(suite.server.ctx, { actor: 'other-till' }, (s) =>
      apply(s, sell, { orderRef: 'ORD-X', units: ['PHX-0003'] }),
    )
    await page.getByRole('button', { name: 'Sell 2 units' }).click()
    await page.locator('tr.row-server-error[data-serial="PHX-0003"]').waitFor()
    expect(await page.locator('tr.row-server-error').count()).toBe(1)
    expect(await page.getByTestId('tally-scanned').textContent()).toBe('2')
    expect(await page.locator('.error-box').textContent()).toContain('PHX-0003')
    expect(await feedback().textContent()).toMatch(/Refused — PHX-0003: .*sold.*the batch is kept/)
    await snap(page, 'sell-refused')
  })

  it('opens a unit from the global scan box and shows the sale in its timeline', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } })
    await page.keyboard.press('/')
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as Browserish).document.activeElement?.id))
      .toBe('global-scan')
    // Typed by hand (a scanner's burst here would join the Sell batch); leaving the unsent batch asks first.
    page.once('dialog', (d) => void d.accept())
    await page.keyboard.type('PHX-0001', { delay: 120 })
    await page.keyboard.press('Enter')
    await page.locator('[data-ready="unit"]').waitFor()
    const timeline = page.getByTestId('timeline')
    await expect.poll(() => timeline.locator('tr[data-event="sold"]').count()).toBe(1)
    const soldRow = (await timeline.locator('tr[data-event="sold"]').textContent()) ?? ''
    expect(soldRow).toContain('Jane Doe')
    expect(soldRow).toContain('ORD-1')
    expect(soldRow).toContain('maria')
    expect(await timeline.locator('tr[data-event="received"]').count()).toBe(1)
    const body = (await page.locator('main').textContent()) ?? ''
    expect(body).toContain('Acme Phones Ltd')
    expect(body).toContain('Warranty ends')
    await snap(page, 'unit')
  })

  it('opens a unit from a GS1 barcode, and says clearly when a code is unknown', async () => {
    await page.keyboard.press('F2')
    await page.keyboard.type(`(01)${GTIN}(21)PHX-0004`)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('h1').textContent()).toContain('PHX-0004')

    await page.keyboard.press('F2')
    await page.keyboard.type('ZZZ-404')
    await page.keyboard.press('Enter')
    const popover = page.locator('.scan-popover')
    await popover.waitFor()
    expect(await popover.textContent()).toContain('Unknown code ZZZ-404')
    await snap(page, 'scan-unknown')
    await popover.getByRole('link', { name: /Search the units list/ }).click()
    await page.getByRole('heading', { name: 'Units' }).waitFor()
    await expect.poll(() => page.locator('main').textContent()).toContain('No unit found for “ZZZ-404”')
    await snap(page, 'units')
  })

  it('renders the dashboard with its charts', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
    const status = page.getByTestId('chart-units-by-status')
    await status.locator('svg rect').first().waitFor()
    expect(await status.getAttribute('data-testid')).toBe('chart-units-by-status')
    expect(await status.locator('svg').getAttribute('aria-label')).toMatch(/In stock 63, .*Sold 2/)
    const weeks = page.getByTestId('chart-receipts-and-sales-per-week')
    expect(await weeks.locator('svg rect').count()).toBeGreaterThanOrEqual(24)
    expect(await page.getByTestId('stock-value').textContent()).toMatch(/25,200\.00/)
    await snap(page, 'dashboard')
  })

  it('shows the other pages without errors', async () => {
    for (const [path, heading] of [
      ['/stock', 'Stock on hand'],
      ['/skus', 'SKUs'],
      ['/skus/PHX', 'SKU PHX'],
      ['/locations', 'Locations'],
      ['/locations/WH', 'Location WH'],
      ['/parties', 'Suppliers and customers'],
      ['/parties/ACME', 'Acme Phones Ltd'],
      ['/documents', 'Documents'],
      ['/documents/receipt/R-1', 'receipt R-1'],
      ['/move', 'Move'],
      ['/transfer', 'Ship a transfer'],
      ['/return', 'Customer return'],
      ['/scrap', 'Scrap'],
    ] as const) {
      await page.goto(suite.server.url + path)
      await expect.poll(() => page.locator('h1').textContent(), { message: path }).toContain(heading)
      expect(await page.locator('.error-box').count(), path).toBe(0)
      await snap(page, path.slice(1).replace(/\//g, '_'))
    }
  })

  it('ships and receives a transfer, takes back a customer return and scraps a unit', async () => {
    const fill = async (values: Record<string, string>) => {
      for (const [k, v] of Object.entries(values)) await page.locator(`#op-${k}`).fill(v)
      await page.locator('#scan').focus()
    }
    await page.goto(suite.server.url + '/transfer')
    await fill({ from: 'WH', to: 'STORE-A', number: 'T-1' })
    expect(await scan('PHX-0010')).toContain('PHX-0010 added')
    expect(await scan('PHX-0011')).toContain('PHX-0011 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Ship a transfer: done' }).waitFor()

    await page.goto(suite.server.url + '/transfer/receive')
    await fill({ number: 'T-1' })
    expect(await scan('PHX-0012')).toContain('PHX-0012 is in stock at WH: cannot receive (needs in transit)')
    expect(await scan('PHX-0010')).toContain('PHX-0010 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Receive a transfer: done' }).waitFor()
    // Unguarded, the scan field's deferred focus once took "T-1" from the number field here (2026-12-03).
    await clickThenType('Next batch', 'op-number', 'T-1')
    await page.locator('#scan').focus()
    await page.getByRole('button', { name: 'Receive everything still in transit' }).click()
    await page.getByRole('heading', { name: 'Receive a transfer: done' }).waitFor()
    expect(await page.locator('.success-box').textContent()).toContain('1 unit recorded')

    await page.goto(suite.server.url + '/return')
    await fill({ location: 'STORE-A', customer: 'JANE', reason: 'does not switch on' })
    expect(await scan('PHX-0003')).toContain('PHX-0003 was sold to a walk-in customer, not JANE')
    expect(await scan('PHX-0001')).toContain('PHX-0001 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Customer return: done' }).waitFor()

    await page.goto(suite.server.url + '/scrap')
    await fill({ reason: 'water damage' })
    expect(await scan('PHX-0003')).toContain('PHX-0003 is sold: cannot scrap')
    expect(await scan('PHX-0012')).toContain('PHX-0012 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Scrap: done' }).waitFor()

    await page.goto(suite.server.url + '/units?find=PHX-0001')
    await page.getByTestId('units-table').first().waitFor()
    await page.getByRole('link', { name: 'PHX-0001' }).first().click()
    await page.locator('[data-ready="unit"]').waitFor()
    const rows = page.getByTestId('timeline').locator('tr[data-event]')
    const events = await Promise.all(
      Array.from({ length: await rows.count() }, (_, i) => rows.nth(i).getAttribute('data-event')),
    )
    expect(events).toEqual(['received', 'sold', 'returned'])
  })

  it('restocks a returned unit, and marks a unit lost at a count and found again', async () => {
    const fill = async (values: Record<string, string>) => {
      for (const [k, v] of Object.entries(values)) await page.locator(`#op-${k}`).fill(v)
      await page.locator('#scan').focus()
    }
    await page.goto(suite.server.url + '/restock')
    await fill({ reason: 'checked, works' })
    expect(await scan('PHX-0002')).toContain(
      'PHX-0002 is in stock at WH: cannot restock (needs returned or quarantined or in repair)',
    )
    expect(await scan('PHX-0001')).toContain('PHX-0001 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Restock: done' }).waitFor()

    await page.goto(suite.server.url + '/lost')
    await fill({ reason: 'cycle count', location: 'WH' })
    expect(await scan('PHX-0001')).toContain('PHX-0001 is at STORE-A, not in WH')
    expect(await scan('PHX-0020')).toContain('PHX-0020 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Stock lost: done' }).waitFor()

    await page.goto(suite.server.url + '/found')
    await fill({ location: 'STORE-A', reason: 'found in the back room' })
    expect(await scan('PHX-0021')).toContain('PHX-0021 is in stock at WH: cannot mark found (needs missing)')
    expect(await scan('PHX-0020')).toContain('PHX-0020 added')
    await snap(page, 'found')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Stock found: done' }).waitFor()
    expect((await lookupUnits(suite.server.ctx.db, 'PHX-0020'))[0]).toMatchObject({
      status: 'in_stock',
      location: { code: 'STORE-A' },
    })

    for (const [serial, expected] of [
      ['PHX-0001', { events: ['received', 'sold', 'returned', 'restocked'], status: 'In stock' }],
      ['PHX-0020', { events: ['received', 'lost', 'found'], status: 'In stock' }],
    ] as const) {
      await page.goto(suite.server.url + `/units?find=${serial}`)
      await page.getByTestId('units-table').first().waitFor()
      await page.getByRole('link', { name: serial }).first().click()
      await page.locator('[data-ready="unit"]').waitFor()
      const rows = page.getByTestId('timeline').locator('tr[data-event]')
      await expect.poll(() => rows.count()).toBe(expected.events.length)
      const events = await Promise.all(
        Array.from({ length: await rows.count() }, (_, i) => rows.nth(i).getAttribute('data-event')),
      )
      expect(events, serial).toEqual(expected.events)
      expect(await page.locator('.badge').first().textContent(), serial).toBe(expected.status)
    }
  })

  it('creates a zone inside a site and a customer from their list pages', async () => {
    await page.goto(suite.server.url + '/locations')
    await page.getByRole('button', { name: 'New location' }).click()
    const form = page.getByRole('form', { name: 'New location' })
    await form.getByLabel('Code').fill('WH-A')
    await form.getByLabel('Name').fill('Aisle A')
    await form.getByLabel('Level').selectOption('zone')
    await form.getByLabel('Inside site').fill('NOPE')
    await form.getByRole('button', { name: 'Create location' }).click()
    await expect.poll(() => form.locator('.error-box').textContent()).toContain('NOPE')
    await form.getByLabel('Inside site').fill('WH')
    await snap(page, 'new-location')
    await form.getByRole('button', { name: 'Create location' }).click()
    await form.waitFor({ state: 'detached' })
    await page.getByRole('link', { name: 'WH-A' }).click()
    await page.getByRole('heading', { name: 'Location WH-A' }).waitFor()
    expect(await page.locator('.card').first().textContent()).toContain('/WH/WH-A')

    await page.goto(suite.server.url + '/parties')
    await page.getByRole('button', { name: 'New supplier or customer' }).click()
    const party = page.getByRole('form', { name: 'New supplier or customer' })
    await party.getByLabel('Code').fill('BOB')
    await party.getByLabel('Name').fill('Bob Stone')
    await party.getByLabel('E-mail').fill('bob@example.com')
    await party.getByRole('button', { name: 'Create' }).click()
    await party.waitFor({ state: 'detached' })
    const row = page.getByRole('row', { name: /BOB/ })
    expect(await row.textContent()).toContain('customer')
    expect(await row.textContent()).toContain('bob@example.com')
  })

  it('receives lot and quantity stock, and sells it together with a scanned unit', async () => {
    await page.goto(suite.server.url + '/receive')
    await page.locator('#rcv-supplier').fill('ACME')
    await page.locator('#rcv-location').fill('WH')
    await page.locator('#rcv-q0-sku').fill('CABLE')
    await page.locator('#rcv-q0-quantity').fill('10')
    await page.getByRole('button', { name: 'Add a line' }).click()
    await page.locator('#rcv-q1-sku').fill('CREAM')
    await page.locator('#rcv-q1-quantity').fill('5')
    await page.getByRole('button', { name: 'Receive 15 items' }).click()
    await expect.poll(() => page.locator('.error-box').textContent()).toContain('CREAM is lot-tracked; give the lot')
    await page.locator('#rcv-q1-lot').fill('L1')
    await page.getByRole('button', { name: 'Receive 15 items' }).click()
    await page.getByRole('heading', { name: /^Receipt .* received$/ }).waitFor()

    await page.goto(suite.server.url + '/sell')
    // The batch the refused sale left earlier is kept as a draft: not this one.
    // A clerk who discards the draft and goes straight to the order reference types into it: the scan
    // box, focused once the draft is gone, does not take the cursor from a field already chosen (CI,
    // 2026-12-02: the order reference landed in the scan box, which read "POS-QPHX-0030").
    await clickThenType('Discard the draft', 'op-orderRef', 'POS-Q')
    await page.locator('#op-q0-sku').fill('CABLE')
    await page.locator('#op-q0-quantity').fill('50')
    await page.locator('#op-q0-location').fill('WH')
    await page.locator('#scan').focus()
    await expect.poll(() => page.locator('#scan').inputValue()).toBe('')
    expect(await scan('PHX-0030')).toContain('PHX-0030 added')
    await page.getByRole('button', { name: 'Sell 1 unit and 50 items' }).click()
    await expect
      .poll(() => page.locator('.error-box').textContent())
      .toContain('CABLE: 50 needed, 10 on hand at that location')
    await page.locator('#op-q0-quantity').fill('3')
    await snap(page, 'sell-mixed')
    await page.getByRole('button', { name: 'Sell 1 unit and 3 items' }).click()
    await page.getByRole('heading', { name: 'Sell: done' }).waitFor()

    // One order, one event: the scanned unit and the counted cables together.
    const number = (await page.locator('.success-box a').textContent())!
    const order = await getDocumentView(suite.server.ctx.db.kysely, 'order', number)
    expect(order.events).toMatchObject([{ type: 'sold', unitCount: 1, quantityLineCount: 1 }])
    expect((await lookupUnits(suite.server.ctx.db, 'PHX-0030'))[0]).toMatchObject({ status: 'sold', orderRef: 'POS-Q' })

    await page.goto(suite.server.url + '/stock?location=WH')
    const table = page.getByTestId('stock-table')
    await table.waitFor()
    const onHand = async (sku: string) =>
      (
        await table
          .getByRole('row', { name: new RegExp(`^${sku}\\b`) })
          .locator('td')
          .nth(4)
          .textContent()
      )?.trim()
    await expect.poll(() => onHand('CABLE')).toBe('7')
    expect(await onHand('CREAM')).toBe('5')
    expect(
      await table
        .getByRole('row', { name: /^CREAM\b/ })
        .locator('td')
        .nth(3)
        .textContent(),
    ).toBe('L1')
  })

  it('works on a phone-sized screen', async () => {
    const phone = await suite.browser.newContext(PHONE)
    const p = await phone.newPage()
    await signIn(p, suite.server.url, 'maria')
    await p.goto(suite.server.url + '/sell')
    await p.locator('#scan').waitFor()
    const width = await p.evaluate(() => (globalThis as unknown as Browserish).document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await p.getByRole('button', { name: 'Menu' }).click()
    await p.getByRole('link', { name: 'Units', exact: true }).click()
    await p.getByRole('heading', { name: 'Units' }).waitFor()
    if (process.env.E2E_SCREENSHOTS) {
      await p.goto(suite.server.url + '/sell')
      await snap(p, 'phone-sell')
      const units = await (await p.request.get(suite.server.url + '/api/v1/units?limit=1')).json()
      await p.goto(suite.server.url + `/units/${units.items[0].id}`)
      await p.locator('[data-ready="unit"]').waitFor()
      await snap(p, 'phone-unit')
      await p.goto(suite.server.url + '/')
      await p.getByTestId('chart-units-by-status').waitFor()
      await snap(p, 'phone-dashboard')
    }
    await phone.close()
  })

  it(
    'hides what a role may not do: a clerk has no scrap, price or user screens; ' + 'an auditor no write screens',
    async () => {
      const clerkCtx = await suite.browser.newContext()
      const clerk = await clerkCtx.newPage()
      await signIn(clerk, suite.server.url, 'carl')
      const nav = clerk.getByRole('navigation', { name: 'Main' })
      expect(await nav.getByRole('link', { name: 'Sell' }).count()).toBe(1)
      expect(await nav.getByRole('link', { name: 'Restock' }).count()).toBe(1)
      for (const name of ['Scrap', 'Stock lost', 'Stock found', 'Users'])
        expect(await nav.getByRole('link', { name }).count(), name).toBe(0)
      await clerk.goto(suite.server.url + '/sell')
      await clerk.locator('#scan').waitFor()
      expect(await clerk.locator('#op-price').count()).toBe(0)
      await clerk.goto(suite.server.url + '/scrap')
      await clerk.getByRole('heading', { name: 'Not available' }).waitFor()
      await clerk.goto(suite.server.url + '/lost')
      await clerk.getByRole('heading', { name: 'Not available' }).waitFor()
      // Catalog pages are readable, but without the create forms.
      await clerk.goto(suite.server.url + '/locations')
      await clerk.getByRole('heading', { name: 'Locations' }).waitFor()
      expect(await clerk.getByRole('button', { name: 'New location' }).count()).toBe(0)
      await clerk.goto(suite.server.url + '/parties')
      await clerk.getByRole('heading', { name: 'Suppliers and customers' }).waitFor()
      expect(await clerk.getByRole('button', { name: 'New supplier or customer' }).count()).toBe(0)
      await clerkCtx.close()

      const auditorCtx = await suite.browser.newContext()
      const auditor = await auditorCtx.newPage()
      await signIn(auditor, suite.server.url, 'audrey')
      const anav = auditor.getByRole('navigation', { name: 'Main' })
      expect(await anav.getByRole('link', { name: 'Units' }).count()).toBe(1)
      for (const name of ['Receive', 'Sell', 'Move', 'Restock', 'Stock found', 'Stock lost', 'Scrap', 'Users'])
        expect(await anav.getByRole('link', { name, exact: true }).count(), name).toBe(0)
      await auditor.goto(suite.server.url + '/receive')
      await auditor.getByRole('heading', { name: 'Not available' }).waitFor()
      await auditorCtx.close()

      // The manager (a price override permission) sees the price field.
      await page.goto(suite.server.url + '/sell')
      await page.locator('#op-price').waitFor()
    },
  )

  it(
    'makes a user with a one-time password choose their own first, ' +
      'and a wrong current password does not sign them out',
    async () => {
      const ctx2 = await suite.browser.newContext()
      const p = await ctx2.newPage()
      await p.goto(suite.server.url + '/')
      await p.getByLabel('User name').fill('newbie')
      await p.getByLabel('Password').fill(PASSWORD)
      await p.getByRole('button', { name: 'Sign in' }).click()
      await p.getByRole('heading', { name: 'Choose your password' }).waitFor()
      await p.locator('#pw-current').fill('not-the-password')
      await p.locator('#pw-new').fill('a-brand-new-password')
      await p.locator('#pw-confirm').fill('a-brand-new-password')
      await p.getByRole('button', { name: 'Save password' }).click()
      await expect.poll(() => p.getByRole('alert').first().textContent()).toContain('the current password is wrong')
      await p.locator('#pw-current').fill(PASSWORD)
      await p.getByRole('button', { name: 'Save password' }).click()
      await p.locator('#global-scan').waitFor()
      expect(
        await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Receive', exact: true }).count(),
      ).toBe(1)
      await ctx2.close()
    },
  )

  it('signs out, and a later request without a session lands on the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await page.goto(suite.server.url + '/units/whatever')
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  })
})
