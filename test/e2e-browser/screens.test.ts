/*
 * Issue 11, items 8-15, in Debian's Chromium against the real server: header fields set by scanning and by
 * name (keyboard only, a scanner simulated as fast keystrokes ending in Enter), refusals in plain language,
 * the documents and units lists (party, value, paging, totals, sort, days in stock, CSV export), a phone's
 * operation pages, the unit page's actions and windows, money in the configured currency and chart links,
 * and a disabled scan field that says what to choose first with a focus ring of 3:1 contrast.
 */
import { readFileSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { addUser, browserSuite, chromiumAvailable, PHONE, signIn, snap } from './browser-harness.js'

/** What the page's globals look like from test code (the root tsconfig has no DOM types). */
interface El {
  id: string
  tagName: string
  value?: string
  disabled?: boolean
  parentElement: El | null
  getBoundingClientRect(): { x: number; y: number; width: number; height: number; bottom: number }
  checkVisibility?(): boolean
  matches(s: string): boolean
  blur(): void
}
interface Browserish {
  document: {
    activeElement: El | null
    documentElement: { scrollWidth: number }
    querySelectorAll(s: string): El[]
    getElementById(id: string): El | null
  }
  getComputedStyle(e: El): {
    backgroundColor: string
    outlineColor: string
    outlineStyle: string
    borderTopColor: string
    borderTopStyle: string
    cursor: string
  }
  scrollY: number
  scrollTo(x: number, y: number): void
}
/** Text with its non-breaking spaces (de-DE puts one before €) as plain ones. */
const plain = (s: string | null) => (s ?? '').replace(/\u00a0|\u202f/g, ' ')

const GTIN = '09506000134352' // GS1's example GTIN (EAN-13 9506000134352)

describe.skipIf(!chromiumAvailable())('issue 11 items 8-15: headers, wording and screens', () => {
  let context: BrowserContext
  let page: Page

  const suite = browserSuite({
    server: { display: { currency: 'EUR', locale: 'de-DE' } },
    seed: async (server) => {
      const { ctx } = server
      await createSku(ctx, { code: 'PHX', name: 'Phone X', tracking: 'serial', gtin: GTIN, cost: 400, price: 799 })
      await createSku(ctx, {
        code: 'TAB',
        name: 'Tablet T',
        tracking: 'serial',
        serialPattern: 'T-\\d{3}',
        serialExample: 'T-042',
        cost: 100,
        price: 250,
        warrantyMonths: 12,
      })
      await createSku(ctx, { code: 'CABLE', name: 'USB-C cable', tracking: 'quantity', cost: 2, price: 9 })
      await createLocation(ctx, { code: 'WH', name: 'Central warehouse', kind: 'warehouse', barcode: 'LBL-WH' })
      await createLocation(ctx, { code: 'STORE-A', name: 'Store A', kind: 'store' })
      await createParty(ctx, { code: 'ACME', name: 'Acme Phones Ltd', role: 'supplier' })
      await createParty(ctx, { code: 'JANE', name: 'Jane Doe', role: 'customer' })
      await addUser(ctx, 'maria', 'manager')
    },
  })
  beforeAll(async () => {
    context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    page = await context.newPage()
    page.on('pageerror', (e) => console.error('page error:', e))
    await signIn(page, suite.server.url, 'maria')
  })

  const feedback = () => page.getByTestId('scan-feedback')
  const activeId = (p: Page = page) =>
    p.evaluate(() => (globalThis as unknown as Browserish).document.activeElement?.id ?? '')
  /** A keyboard-wedge scanner: the code as fast keystrokes into whatever has focus, then Enter. */
  const scanKeys = async (code: string, p: Page = page) => {
    await p.keyboard.type(code)
    await p.keyboard.press('Enter')
  }
  /** Scans into the page's scan field and waits for that scan's feedback. */
  async function scan(code: string) {
    const before = Number(await feedback().getAttribute('data-n'))
    await page.locator('#scan').focus()
    await scanKeys(code)
    await expect.poll(async () => Number(await feedback().getAttribute('data-n'))).toBeGreaterThan(before)
    return (await feedback().textContent()) ?? ''
  }
  /** A write through the API as the signed-in user (session cookie and CSRF token). */
  async function apiPost(path: string, body: unknown) {
    const csrf = (await context.cookies()).find((c) => c.name === 'sl_csrf')?.value ?? ''
    const r = await page.request.post(`${suite.server.url}/api/v1${path}`, {
      data: body,
      headers: { 'x-csrf-token': csrf, 'idempotency-key': `${path}-${Math.random()}` },
    })
    expect(r.status(), await r.text()).toBeLessThan(300)
    return r.json()
  }

  it('8: sets the receive header by name, label barcode and product barcode, keyboard only', async () => {
    await page.goto(suite.server.url + '/receive')
    await page.locator('#rcv-supplier').waitFor()
    await expect.poll(() => activeId()).toBe('rcv-supplier')
    await scanKeys('Acme Phones')
    await expect.poll(() => page.locator('#rcv-supplier').inputValue()).toBe('ACME')
    expect(await page.locator('#rcv-supplier-status').textContent()).toContain('Acme Phones Ltd')
    // Enter moves on to the next field still empty: the location, set by scanning its bin label.
    await expect.poll(() => activeId()).toBe('rcv-location')
    await scanKeys('LBL-WH')
    await expect.poll(() => page.locator('#rcv-location').inputValue()).toBe('WH')
    await expect.poll(() => activeId()).toBe('rcv-sku')
    // The SKU by the product barcode on the box (EAN-13), and then straight on to the scan field.
    await scanKeys(GTIN.slice(1))
    await expect.poll(() => page.locator('#rcv-sku').inputValue()).toBe('PHX')
    await expect.poll(() => activeId()).toBe('scan')
    await scanKeys('PHX-0001')
    await expect.poll(() => feedback().textContent()).toContain('PHX-0001 added')
    await snap(page, 'i11-receive-header')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: /^Receipt .* received$/ }).waitFor()
  })

  it('8: refuses a name that names no customer on the field at once, and resolves a name that does', async () => {
    await page.goto(suite.server.url + '/sell')
    await page.locator('#op-orderRef').waitFor()
    await expect.poll(() => activeId()).toBe('op-orderRef')
    await page.keyboard.type('ORD-8')
    await page.keyboard.press('Tab')
    await expect.poll(() => activeId()).toBe('op-customer')
    await scanKeys('Nobody')
    const customer = page.locator('#op-customer')
    await expect.poll(() => customer.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#op-customer-status').textContent()).toBe('no customer has the code or name “Nobody”')
    expect(await activeId()).toBe('op-customer')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('jane doe')
    await page.keyboard.press('Tab')
    await expect.poll(() => customer.inputValue()).toBe('JANE')
    expect(await customer.getAttribute('aria-invalid')).toBeNull()
    // A location field takes the label barcode too; Enter from a complete header reaches the scan field.
    await page.locator('#op-from').focus()
    await scanKeys('LBL-WH')
    await expect.poll(() => page.locator('#op-from').inputValue()).toBe('WH')
    await expect.poll(() => activeId()).toBe('scan')
  })

  it("8: a location's label barcode is set on its page, and scanning that label then picks it", async () => {
    await page.goto(suite.server.url + '/locations/STORE-A')
    await page.locator('#loc-barcode').focus()
    await page.keyboard.type('LBL-SA')
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    await page.goto(suite.server.url + '/move')
    await expect.poll(() => activeId()).toBe('op-to')
    await scanKeys('LBL-SA')
    await expect.poll(() => page.locator('#op-to').inputValue()).toBe('STORE-A')
    expect(await page.locator('#op-to-status').textContent()).toBe('✓ Store A (label LBL-SA)')
    await expect.poll(() => activeId()).toBe('scan')
  })

  it(
    '9: words refusals plainly: a look-alike letter, a control character, ' + "the SKU's format with an example",
    async () => {
      await page.goto(suite.server.url + '/receive')
      await page.locator('#rcv-supplier').fill('ACME')
      await page.locator('#rcv-location').fill('WH')
      await page.locator('#rcv-sku').fill('TAB')
      await page.locator('#rcv-sku').press('Enter')
      await expect.poll(() => activeId()).toBe('scan')
      expect(await scan('T-1')).toContain(
        "T-1: serial does not match the SKU's format: “T-” then 3 digits, for example T-042",
      )
      expect(await scan('T-0А1')).toContain("a Cyrillic 'А' that looks like a Latin 'A' at position 4")
      const before = Number(await feedback().getAttribute('data-n'))
      await page.keyboard.insertText('T-0\x071')
      await page.keyboard.press('Enter')
      await expect.poll(async () => Number(await feedback().getAttribute('data-n'))).toBeGreaterThan(before)
      expect(await feedback().textContent()).toContain('a control character (Ctrl+G, sent by that key or by a scanner')
      const text = (await page.locator('main').textContent()) ?? ''
      expect(text).not.toMatch(/U\+04|\^\(\?:/)
      // The SKU page words the format the same way.
      await page.goto(suite.server.url + '/skus/TAB')
      await expect.poll(() => page.locator('main').textContent()).toContain('“T-” then 3 digits, for example T-042')
    },
  )

  it(
    '10: lists documents newest first with party, units and value, paging past 200; ' + 'a sale lists its serials',
    async () => {
      await apiPost('/receipts', {
        supplier: 'ACME',
        location: 'WH',
        number: 'R-10',
        lines: [{ sku: 'PHX', serials: ['PHX-1001', 'PHX-1002', 'PHX-1003'] }],
      })
      const sale = await apiPost('/sales', {
        orderRef: 'ORD-10',
        customer: 'JANE',
        units: [
          { serial: 'PHX-1001', price: 750 },
          { serial: 'PHX-1002', price: 760.5 },
        ],
      })
      for (let i = 0; i < 205; i++)
        await apiPost('/receipts', { supplier: 'ACME', location: 'WH', lines: [{ sku: 'CABLE', quantity: 1 }] })
      await apiPost('/sales', { orderRef: 'ORD-11', quantities: [{ sku: 'CABLE', quantity: 2, location: 'WH' }] })

      await page.goto(suite.server.url + '/documents')
      const table = page.getByTestId('documents-table')
      await table.locator('tbody tr').first().waitFor()
      expect(await table.locator('thead').textContent()).toMatch(/Party.*Units.*Value/)
      const first = plain(await table.locator('tbody tr').first().textContent())
      expect(first).toContain('ORD-11')
      expect(first).toContain('18,00 €')
      expect(await table.locator('tbody tr').count()).toBe(100)
      await page.getByRole('button', { name: 'Next →' }).click()
      await expect.poll(() => page.locator('.pager').textContent()).toContain('Page 2')
      await page.getByRole('button', { name: 'Next →' }).click()
      await expect.poll(() => page.locator('.pager').textContent()).toContain('Page 3')
      await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThanOrEqual(8)
      const rows = plain(await table.locator('tbody').textContent())
      expect(rows).toContain('ORD-10')
      expect(rows).toContain('Jane Doe')
      expect(rows).toContain('1.510,50 €')
      expect(rows).toContain('R-10')
      expect(rows).toContain('Acme Phones Ltd')
      expect(rows).toContain('1.200,00 €')
      expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true)

      await page.goto(suite.server.url + `/documents/order/${encodeURIComponent(sale.number)}`)
      const units = page.getByTestId('document-units')
      await units.waitFor()
      const lines = plain(await units.textContent())
      expect(lines).toMatch(/PHX-1001.*750,00 €/)
      expect(lines).toMatch(/PHX-1002.*760,50 €/)
      expect(plain(await page.getByTestId('document-total').textContent())).toBe('1.510,50 €')
      await snap(page, 'i11-documents')
    },
  )

  it('11: the units list opens on units in stock, newest first, with totals, days in stock, sort and CSV', async () => {
    await page.goto(suite.server.url + '/units')
    const table = page.getByTestId('units-table').last()
    await table.locator('tbody tr').first().waitFor()
    expect(await table.locator('thead').textContent()).toContain('Days in stock')
    const serials = await table.locator('tbody tr td:first-child').allTextContents()
    expect(serials[0]).toBe('PHX-1003')
    expect(serials).not.toContain('PHX-1001') // sold
    expect(serials.indexOf('PHX-1003')).toBeLessThan(serials.indexOf('PHX-0001'))
    expect(await page.getByLabel('Status').inputValue()).toBe('in_stock')
    const totals = plain(await page.getByTestId('units-totals').textContent())
    expect(totals).toMatch(/^2 units in stock · cost 800,00 €/)

    await page.getByLabel('Sort').selectOption('serial')
    await page.getByLabel('Status').selectOption('any')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await expect
      .poll(() => table.locator('tbody tr td:first-child').allTextContents())
      .toEqual(['PHX-0001', 'PHX-1001', 'PHX-1002', 'PHX-1003'])
    await expect
      .poll(async () => plain(await page.getByTestId('units-totals').textContent()))
      .toMatch(/^4 units · cost 1\.600,00 €/)

    // A link that names what to list (a SKU's units) lists every status.
    await page.goto(suite.server.url + '/units?sku=PHX')
    await expect
      .poll(async () => plain(await page.getByTestId('units-totals').textContent()))
      .toMatch(/^4 units · cost/)
    await page.goto(suite.server.url + '/units?sort=serial&status=any')
    await table.locator('tbody tr').first().waitFor()

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^units-\d{4}-\d{2}-\d{2}\.csv$/)
    const csv = readFileSync((await file.path())!, 'utf8')
      .trim()
      .split('\r\n')
    expect(csv[0]).toBe('Serial,SKU,Status,Location,Supplier / receipt,Received,Days in stock,Customer,Cost')
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['PHX-0001', 'PHX-1001', 'PHX-1002', 'PHX-1003'])
    expect(csv[2]).toMatch(/^PHX-1001,PHX,sold,,ACME \/ R-10,[^,]+,0,JANE,400$/)

    // The same export on every list page.
    for (const [path, header] of [
      ['/documents', 'Number,Type,Party,Reference,When,Units,Items,Value,Who'],
      ['/skus', 'Code,Name,Tracking,GTIN,Cost,Price,Warranty'],
      ['/locations', 'Code,Name,Level,Kind,Barcode,Path'],
      ['/parties', 'Code,Name,Role,E-mail,Phone'],
      ['/stock', 'SKU,Name,Location,Lot,On hand,Value'],
    ] as const) {
      await page.goto(suite.server.url + path)
      const button = page.getByRole('button', { name: 'Export CSV' })
      await button.waitFor()
      const d = page.waitForEvent('download')
      await button.click()
      const text = readFileSync((await (await d).path())!, 'utf8')
      expect(text.split('\r\n')[0], path).toBe(header)
      expect(text.split('\r\n').length, path).toBeGreaterThan(2)
    }
    const docs = page.waitForEvent('download')
    await page.goto(suite.server.url + '/documents')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    // Every document under the filter, not only the page on screen.
    expect(
      readFileSync((await (await docs).path())!, 'utf8')
        .trim()
        .split('\r\n').length,
    ).toBe(1 + 209)
  })

  it('12: on a phone, every operation shows its scan field without scrolling, with 44 px tap targets', async () => {
    const phone = await suite.browser.newContext(PHONE)
    const p = await phone.newPage()
    await signIn(p, suite.server.url, 'maria')
    const pages: [string, Record<string, string>][] = [
      ['/receive', { 'rcv-supplier': 'ACME', 'rcv-location': 'WH', 'rcv-sku': 'PHX' }],
      ['/move', { 'op-to': 'STORE-A' }],
      ['/transfer', { 'op-from': 'WH', 'op-to': 'STORE-A' }],
      ['/transfer/receive', { 'op-number': 'T-404' }],
      ['/sell', { 'op-orderRef': 'ORD-P' }],
      ['/return', { 'op-location': 'WH' }],
      ['/restock', {}],
      ['/found', { 'op-location': 'WH', 'op-reason': 'count' }],
      ['/lost', { 'op-reason': 'count' }],
      ['/scrap', { 'op-reason': 'broken' }],
    ]
    for (const [path, values] of pages) {
      await p.goto(suite.server.url + path)
      await p.locator('#scan').waitFor()
      for (const [id, v] of Object.entries(values)) await p.locator(`#${id}`).fill(v)
      await p.evaluate(() => {
        const w = globalThis as unknown as Browserish
        w.document.activeElement?.blur()
        w.scrollTo(0, 0)
      })
      const box = await p.evaluate(() => {
        const r = (globalThis as unknown as Browserish).document.getElementById('scan')!.getBoundingClientRect()
        return { top: r.y, bottom: r.bottom, scrollY: (globalThis as unknown as Browserish).scrollY }
      })
      expect(box.scrollY, path).toBe(0)
      expect(box.top, path).toBeGreaterThan(0)
      expect(box.bottom, path).toBeLessThanOrEqual(844)
      const small = await p.evaluate(() =>
        [
          ...(globalThis as unknown as Browserish).document.querySelectorAll(
            'main button, main input, main select, main summary, main a.button',
          ),
        ]
          .filter((e) => e.checkVisibility?.() !== false && e.getBoundingClientRect().width > 0)
          .map((e) => ({ name: e.id || e.tagName, r: e.getBoundingClientRect() }))
          .filter(({ r }) => r.height < 44 || r.width < 44)
          .map(({ name, r }) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`),
      )
      expect(small, path).toEqual([])
      const width = await p.evaluate(() => (globalThis as unknown as Browserish).document.documentElement.scrollWidth)
      expect(width, path).toBeLessThanOrEqual(390)
      if (path === '/sell') await snap(p, 'i11-phone-sell')
    }
    // "Change" opens the folded header again.
    await p.goto(suite.server.url + '/move')
    await p.locator('#op-to').fill('STORE-A')
    await p.locator('#scan').focus()
    await expect.poll(() => p.locator('#op-to').isVisible()).toBe(false)
    await p.getByRole('button', { name: 'Change' }).click()
    await expect.poll(() => p.locator('#op-to').isVisible()).toBe(true)
    await phone.close()
  })

  it(
    '13: the unit page offers the actions its status allows and shows days in stock, ' + 'return window, warranty',
    async () => {
      const open = async (serial: string) => {
        await page.goto(suite.server.url + `/units?find=${serial}`)
        await page.getByRole('link', { name: serial }).first().click()
        await page.locator('[data-ready="unit"]').waitFor()
      }
      await open('PHX-1003')
      const actions = page.getByRole('navigation', { name: 'Actions for this unit' })
      expect(await actions.getByRole('link').allTextContents()).toEqual([
        'Move',
        'Sell',
        'Ship on a transfer',
        'Scrap',
        'Mark lost',
      ])
      expect(await page.getByTestId('days-in-stock').textContent()).toBe('0 days')
      expect(await page.getByTestId('return-window').textContent()).toBe('starts at sale')

      await open('PHX-1001')
      expect(await actions.getByRole('link').allTextContents()).toEqual(['Take back (customer return)'])
      expect(await page.getByTestId('return-window').textContent()).toMatch(/^open until .* \(30 days left\)$/)
      expect(await page.getByTestId('warranty').textContent()).toBe('no warranty')
      // The action opens the operation with the unit already scanned (keyboard: the link, then Enter).
      await actions.getByRole('link', { name: 'Take back (customer return)' }).focus()
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { name: 'Customer return' }).waitFor()
      await expect.poll(() => page.getByTestId('tally-scanned').textContent()).toBe('1')
      expect(await feedback().textContent()).toContain('PHX-1001 added')
      await page.locator('#op-location').fill('WH')
      // A verified return names the buyer (or the order) of a unit sold to a named customer.
      await page.locator('#op-customer').fill('JANE')
      await page.keyboard.press('Control+Enter')
      await page.getByRole('heading', { name: 'Customer return: done' }).waitFor()
    },
  )

  it('14: shows money in the configured currency, and dashboard charts open the lists they summarise', async () => {
    await page.goto(suite.server.url + '/')
    const value = page.getByTestId('stock-value')
    await expect.poll(async () => plain(await value.textContent())).toMatch(/^[\d.]+,\d{2} €$/)
    const inStock = page.getByTestId('chart-units-by-status').getByRole('link', { name: /^In stock: \d+, show them$/ })
    await inStock.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Units' }).waitFor()
    expect(new URL(page.url()).searchParams.get('status')).toBe('in_stock')
    await expect.poll(() => page.getByTestId('units-totals').textContent()).toMatch(/units? in stock/)

    await page.goto(suite.server.url + '/')
    const weeks = page.getByTestId('chart-receipts-and-sales-per-week')
    const sold = weeks.getByRole('link', { name: /^Units sold, .*: [1-9]\d*, show them$/ })
    await sold.first().focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Units' }).waitFor()
    const q = new URL(page.url()).searchParams
    expect(q.get('status')).toBe('any')
    expect(q.get('soldFrom')).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const rows = await page.getByTestId('units-table').last().locator('tbody tr').allTextContents()
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) expect(r).toMatch(/Sold|Returned/)
  })

  it('15: a disabled scan field looks disabled and says what to choose first; focus rings reach 3:1', async () => {
    await page.goto(suite.server.url + '/receive')
    const field = page.locator('#scan')
    await field.waitFor()
    expect(await field.isDisabled()).toBe(true)
    expect(await page.locator('#scan-hint').textContent()).toBe(
      'Choose the supplier, the location and the SKU first, then scan.',
    )
    const style = await field.evaluate((e) => {
      const s = (globalThis as unknown as Browserish).getComputedStyle(e as unknown as El)
      return { border: s.borderTopStyle, cursor: s.cursor }
    })
    expect(style).toEqual({ border: 'dashed', cursor: 'not-allowed' })
    await page.locator('#rcv-supplier').fill('ACME')
    await page.locator('#rcv-supplier').press('Enter')
    await expect
      .poll(() => page.locator('#scan-hint').textContent())
      .toBe('Choose the location and the SKU first, then scan.')

    // Focus rings: a button on a card, and the global scan box on the dark top bar.
    const contrast = (a: number[], b: number[]) => {
      const lum = (c: number[]) => {
        const [r, gr, bl] = c.map((v) => {
          const s = v / 255
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
        })
        return 0.2126 * r! + 0.7152 * gr! + 0.0722 * bl!
      }
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
      return (hi! + 0.05) / (lo! + 0.05)
    }
    const rgb = (s: string) => (s.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number)
    await page.locator('#rcv-location').focus()
    await page.keyboard.press('Tab')
    const ring = await page.evaluate(() => {
      const e = (globalThis as unknown as Browserish).document.activeElement!
      let bg = e.parentElement
      while (
        bg &&
        ['rgba(0, 0, 0, 0)', 'transparent'].includes(
          (globalThis as unknown as Browserish).getComputedStyle(bg).backgroundColor,
        )
      )
        bg = bg.parentElement
      return {
        outline: (globalThis as unknown as Browserish).getComputedStyle(e).outlineColor,
        style: (globalThis as unknown as Browserish).getComputedStyle(e).outlineStyle,
        bg: bg ? (globalThis as unknown as Browserish).getComputedStyle(bg).backgroundColor : 'rgb(255, 255, 255)',
      }
    })
    expect(ring.style).toBe('solid')
    expect(contrast(rgb(ring.outline), rgb(ring.bg))).toBeGreaterThanOrEqual(3)
    await page.keyboard.press('F2')
    const top = await page.evaluate(() => {
      const e = (globalThis as unknown as Browserish).document.getElementById('global-scan')!
      const bar = (globalThis as unknown as Browserish).document.querySelectorAll('.topbar')[0]!
      return {
        border: (globalThis as unknown as Browserish).getComputedStyle(e).borderTopColor,
        bg: (globalThis as unknown as Browserish).getComputedStyle(bar).backgroundColor,
      }
    })
    expect(contrast(rgb(top.border), rgb(top.bg))).toBeGreaterThanOrEqual(3)
  })
})
