/*
 * The clerk's scan loop made safe (issue 11, items 1–7), in Chromium against the real server, keyboard
 * only, with a scanner simulated as fast keystrokes ending in Enter typed wherever focus is: product
 * barcodes and IMEIs are not taken for serials, a serial of another SKU asks first, the next batch
 * starts with no customer, a serial and its IMEI are scanned as a pair, a batch survives a reload, Back,
 * a menu link and the global box, scans are never dropped for want of focus, and every scan is heard
 * and seen. Also the scan-to-feedback time of a 60-scan burst in 2.5 s.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Dialog, Page } from 'playwright-core'
import { createSku } from '../../src/modules/catalog/index.js'
import { isLuhnValid } from '../../src/modules/gs1/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { receive } from '../../src/modules/receiving/index.js'
import { lookupUnits } from '../../src/modules/units/index.js'
import { addUser, browserSuite, chromiumAvailable, signIn, snap } from './browser-harness.js'

/** What the page's globals look like from test code (the root tsconfig has no DOM types). */
interface Browserish {
  __slScanTimings?: number[]
  __slTones?: string[]
  document: {
    activeElement: { id: string; blur(): void; textContent: string | null } | null
  }
}

const PHX_GTIN = '09506000134352'
const TAB_EAN13 = '4006381333931'
/** A valid GTIN no SKU has (EAN-8 96385074). */
const UNKNOWN_GTIN = '00000096385074'

/** An IMEI: 14 digits and the Luhn check digit. */
const imei = (body: string) => {
  for (let d = 0; d <= 9; d++) if (isLuhnValid(`${body}${d}`)) return `${body}${d}`
  throw new Error('no check digit')
}

describe.skipIf(!chromiumAvailable())('the scan loop made safe (issue 11, items 1–7)', () => {
  let page: Page
  const dialogs: { type: string; message: string }[] = []
  /** What the next confirm() is answered (a beforeunload is always accepted). */
  let answer = true

  const seed = (sku: string, serials: string[], extra: Record<string, unknown> = {}) =>
    execute(
      suite.server.ctx,
      receive,
      { actor: 'seed' },
      { supplier: 'ACME', location: 'WH', lines: [{ sku, serials, ...extra }] },
    )

  const suite = browserSuite({
    seed: async (server) => {
      const { ctx } = server
      const serial = { tracking: 'serial', cost: 100, price: 300 } as const
      await createSku(ctx, {
        ...serial,
        code: 'PHX',
        name: 'Phone X',
        gtin: PHX_GTIN,
        identifiers: [{ name: 'imei', isUnique: true }],
      })
      await createSku(ctx, { ...serial, code: 'TAB', name: 'Tablet', gtin: TAB_EAN13 })
      await createSku(ctx, { ...serial, code: 'LAP', name: 'Laptop' })
      await createSku(ctx, { ...serial, code: 'WATCH', name: 'Watch', serialsUniqueAcrossSkus: true })
      await createLocation(ctx, { code: 'WH', name: 'Warehouse', level: 'site', kind: 'warehouse' })
      await createLocation(ctx, { code: 'STORE', name: 'Store', level: 'site', kind: 'store' })
      await createParty(ctx, { code: 'ACME', name: 'Acme Phones', role: 'supplier' })
      await createParty(ctx, { code: 'JANE', name: 'Jane Doe', role: 'customer' })
      await addUser(ctx, 'maria', 'manager')
      await seed('TAB', ['DUP-1', ...Array.from({ length: 30 }, (_, i) => `S-${i + 1}`)])
      await seed(
        'TAB',
        Array.from({ length: 60 }, (_, i) => `B-${String(i + 1).padStart(3, '0')}`),
      )
      await seed('WATCH', ['W-1'])
      await execute(
        ctx,
        receive,
        { actor: 'seed' },
        {
          supplier: 'ACME',
          location: 'WH',
          lines: [{ sku: 'PHX', units: [{ serial: 'OLD-1', identifiers: { imei: imei('35000000000001') } }] }],
        },
      )
    },
  })
  beforeAll(async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    page.on('pageerror', (e) => console.error('page error:', e))
    page.on('dialog', (d: Dialog) => {
      dialogs.push({ type: d.type(), message: d.message() })
      void (d.type() === 'beforeunload' || answer ? d.accept() : d.dismiss())
    })
    await signIn(page, suite.server.url, 'maria')
  })

  const feedback = () => page.getByTestId('scan-feedback')
  const tally = (name: string) => page.getByTestId(`tally-${name}`).textContent()
  const focusedId = () => page.evaluate(() => (globalThis as unknown as Browserish).document.activeElement?.id ?? '')
  const tones = () => page.evaluate(() => (globalThis as unknown as Browserish).__slTones ?? [])
  const resetTones = () => page.evaluate(() => ((globalThis as unknown as Browserish).__slTones = []))
  /** Types into the focused field as a person would (keys, not a paste). */
  async function typeInto(selector: string, text: string) {
    await page.locator(selector).focus()
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Delete')
    if (text) await page.keyboard.type(text)
  }
  /** A keyboard-wedge scanner: fast keystrokes and Enter, wherever focus is; waits for that scan's feedback. */
  async function scanner(code: string) {
    const before = (await feedback().count()) > 0 ? Number(await feedback().getAttribute('data-n')) : 0
    await page.keyboard.type(code)
    await page.keyboard.press('Enter')
    await expect.poll(async () => Number(await feedback().getAttribute('data-n'))).toBeGreaterThan(before)
    return (await feedback().textContent()) ?? ''
  }
  async function openReceive(sku: string) {
    await page.goto(suite.server.url + '/receive')
    await typeInto('#rcv-supplier', 'ACME')
    await typeInto('#rcv-location', 'WH')
    await typeInto('#rcv-sku', sku)
    await page.locator('#scan:not([disabled])').focus()
  }

  it(
    '1: refuses a product barcode (EAN-13, GTIN-14, GS1 without serial) as a serial, ' + 'and reads an IMEI as one',
    async () => {
      await openReceive('TAB')
      await resetTones()
      expect(await scanner(TAB_EAN13)).toContain(`${TAB_EAN13} is the product barcode of TAB (Tablet), not a serial`)
      expect(await scanner(`0${TAB_EAN13}`)).toContain('is the product barcode of TAB')
      expect(await scanner(`(01)0${TAB_EAN13}`)).toContain(`GTIN 0${TAB_EAN13} is the product barcode of TAB`)
      expect(await scanner(PHX_GTIN)).toContain(`${PHX_GTIN} is the product barcode of another SKU, PHX (Phone X)`)
      expect(await tally('scanned')).toBe('0')
      expect(await tally('refused')).toBe('4')
      expect(await tones()).toEqual(['error', 'error', 'error', 'wrong-sku'])

      // On a SKU that declares an IMEI, a 15-digit Luhn-valid code is the IMEI of the unit being scanned.
      await typeInto('#rcv-sku', 'PHX')
      await page.locator('#scan').focus()
      const first = imei('35693803564380')
      expect(await scanner(first)).toContain(`IMEI ${first} read; now scan the serial of this unit`)
      expect(await tally('scanned')).toBe('0')
      expect(await scanner('P-1')).toContain('P-1 added (#1)')
      await page.keyboard.press('Control+Enter')
      await page.getByRole('heading', { name: /Receipt .* received/ }).waitFor()
      const [unit] = await lookupUnits(suite.server.db, first)
      expect(unit).toMatchObject({ serial: 'P-1', sku: { code: 'PHX' }, identifiers: { imei: first } })
      expect(await lookupUnits(suite.server.db, TAB_EAN13)).toEqual([])
    },
  )

  it(
    '2: asks before receiving a serial another SKU has, naming it and where it is; ' + 'a unique-serial SKU refuses',
    async () => {
      await openReceive('LAP')
      await resetTones()
      expect(await scanner('dup-1')).toContain(
        'DUP-1 is already a unit of SKU TAB (Tablet, in stock at WH): scan it again to receive it as another LAP unit',
      )
      expect(await tally('scanned')).toBe('0')
      expect(await scanner('DUP-1')).toContain('DUP-1 added (#1), but also a serial of TAB (confirmed)')
      expect(await feedback().getAttribute('class')).toContain('feedback-warn')
      expect(await scanner('W-1')).toContain(
        'W-1 is already a unit of SKU WATCH (in stock at WH); WATCH keeps its serials unique across all SKUs',
      )
      expect(await scanner('W-1')).toContain('WATCH keeps its serials unique across all SKUs')
      expect(await tally('scanned')).toBe('1')
      expect((await tones()).slice(0, 3)).toEqual(['wrong-sku', 'warn', 'wrong-sku'])
      await page.keyboard.press('Control+Enter')
      await page.getByRole('heading', { name: /Receipt .* received/ }).waitFor()
      expect((await lookupUnits(suite.server.db, 'DUP-1')).map((u) => u.sku.code).sort()).toEqual(['LAP', 'TAB'])
      expect((await lookupUnits(suite.server.db, 'W-1')).map((u) => u.sku.code)).toEqual(['WATCH'])
    },
  )

  it('3: starts the next sale and return with no customer and no order; the walk-in is recorded as one', async () => {
    await page.goto(suite.server.url + '/sell')
    await typeInto('#op-orderRef', 'ORD-1')
    await typeInto('#op-customer', 'JANE')
    await page.locator('#scan').focus()
    expect(await scanner('S-1')).toContain('S-1 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Sell: done' }).waitFor()
    await page.keyboard.press('Enter') // "Next batch" has the focus
    await page.locator('#op-orderRef').waitFor()
    expect(await page.locator('#op-customer').inputValue()).toBe('')
    expect(await page.locator('#op-orderRef').inputValue()).toBe('')
    await typeInto('#op-orderRef', 'POS-2')
    await page.locator('#scan').focus()
    expect(await scanner('S-2')).toContain('S-2 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Sell: done' }).waitFor()
    expect((await lookupUnits(suite.server.db, 'S-1'))[0]).toMatchObject({
      customer: { code: 'JANE' },
      orderRef: 'ORD-1',
    })
    expect((await lookupUnits(suite.server.db, 'S-2'))[0]).toMatchObject({ customer: null, orderRef: 'POS-2' })

    await page.goto(suite.server.url + '/return')
    await typeInto('#op-location', 'STORE')
    await typeInto('#op-customer', 'JANE')
    await typeInto('#op-orderRef', 'ORD-1')
    await page.locator('#scan').focus()
    expect(await scanner('S-1')).toContain('S-1 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Customer return: done' }).waitFor()
    await page.keyboard.press('Enter')
    await page.locator('#op-customer').waitFor()
    expect(await page.locator('#op-customer').inputValue()).toBe('')
    expect(await page.locator('#op-orderRef').inputValue()).toBe('')
    expect(await page.locator('#op-location').inputValue()).toBe('STORE')

    // The next receipt names no supplier until one is chosen.
    await openReceive('LAP')
    expect(await scanner('L-1')).toContain('L-1 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: /Receipt .* received/ }).waitFor()
    await page.keyboard.press('Enter')
    await page.locator('#rcv-supplier').waitFor()
    expect(await page.locator('#rcv-supplier').inputValue()).toBe('')
    expect(await page.locator('#rcv-location').inputValue()).toBe('WH')
  })

  it('4: asks for the IMEI after each serial, checks it, and the phone is found by its IMEI later', async () => {
    await openReceive('PHX')
    const [a, b] = [imei('35693803564381'), imei('35693803564382')]
    const wrongCheck = `${a.slice(0, 14)}${(Number(a[14]) + 1) % 10}`
    expect(await scanner('P-10')).toContain('P-10 added (#1); now scan its IMEI')
    expect(await page.getByLabel('Scan the IMEI of P-10').count()).toBe(1)
    expect(await scanner('P-11')).toContain('P-11 is not an IMEI (15 digits with a check digit): scan the IMEI of P-10')
    expect(await scanner(wrongCheck)).toContain(`${wrongCheck} is not an IMEI`)
    expect(await scanner(imei('35000000000001'))).toContain('is already on unit OLD-1 (PHX)')
    expect(await scanner(a)).toContain(`IMEI ${a} added to P-10`)
    expect(await page.getByLabel('Scan serial').count()).toBe(1)
    // IMEI first, then its serial; an IMEI already in the receipt is refused.
    expect(await scanner(b)).toContain(`IMEI ${b} read; now scan the serial`)
    expect(await scanner('P-12')).toContain('P-12 added (#2)')
    expect(await scanner('P-13')).toContain('now scan its IMEI')
    expect(await scanner(a)).toContain(`IMEI ${a} is already on P-10 in this receipt`)
    // Ctrl+Enter while P-13 waits says so; Escape receives it without one.
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.locator('.error-box').textContent()).toContain('P-13 waits for its IMEI')
    await page.locator('#scan').focus()
    await page.keyboard.press('Escape')
    await expect.poll(() => feedback().textContent()).toContain('P-13 kept without its IMEI')
    expect(await tally('scanned')).toBe('3')
    await snap(page, 'receive-imei-pairs')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: /Receipt .* received/ }).waitFor()
    expect((await lookupUnits(suite.server.db, a))[0]).toMatchObject({ serial: 'P-10', identifiers: { imei: a } })
    expect((await lookupUnits(suite.server.db, b))[0]).toMatchObject({ serial: 'P-12', identifiers: { imei: b } })
    expect((await lookupUnits(suite.server.db, 'P-13'))[0]?.identifiers).toEqual({})

    // Found by its IMEI from the global box.
    await page.goto(suite.server.url + '/')
    await page.locator('#global-scan').waitFor()
    await page.keyboard.press('F2')
    await page.keyboard.type(a)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('h1').textContent()).toContain('P-10')
  })

  it('5: keeps a batch through Back, a menu link, the global box and a reload, and offers it on return', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' })
    const offer = page.getByTestId('draft-offer')
    await page.goto(suite.server.url + '/')
    await nav.getByRole('link', { name: 'Sell', exact: true }).focus()
    await page.keyboard.press('Enter')
    await page.locator('#op-orderRef').waitFor()
    await typeInto('#op-orderRef', 'D-1')
    await page.locator('#scan').focus()
    expect(await scanner('S-3')).toContain('S-3 added')
    expect(await scanner('S-4')).toContain('S-4 added')

    // Back asks first; saying no keeps the page, its address and the batch.
    answer = false
    dialogs.length = 0
    await page.goBack()
    await expect.poll(() => dialogs.length).toBe(1)
    expect(dialogs[0]).toMatchObject({ type: 'confirm', message: expect.stringContaining('2 scanned units not sent') })
    expect(page.url()).toBe(suite.server.url + '/sell')
    expect(await tally('scanned')).toBe('2')

    // A menu link asks too; yes leaves, and the batch is offered on return.
    dialogs.length = 0
    await nav.getByRole('link', { name: 'Receive', exact: true }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => dialogs.length).toBe(1)
    expect(await page.locator('h1').textContent()).toBe('Sell')
    answer = true
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Receive' }).waitFor()
    await page.goBack()
    await offer.waitFor()
    expect(await offer.textContent()).toMatch(/unsent batch.* of 2 units or lines/)
    // Scanning on takes the draft up and adds to it.
    await page.locator('#scan').focus()
    expect(await scanner('S-5')).toContain('S-5 added (#3)')
    expect(await tally('scanned')).toBe('3')
    expect(await page.locator('#op-orderRef').inputValue()).toBe('D-1')

    // A code typed by hand into the global box opens the unit after asking; the batch waits on return.
    dialogs.length = 0
    await page.keyboard.press('F2')
    await page.keyboard.type('S-3', { delay: 150 })
    await page.keyboard.press('Enter')
    await page.locator('[data-ready="unit"]').waitFor()
    expect(dialogs.map((d) => d.type)).toEqual(['confirm'])
    await page.goBack()
    await offer.waitFor()
    expect(await offer.textContent()).toContain('3 units or lines')
    await page.keyboard.press('Enter') // "Restore the draft" has the focus
    await expect.poll(() => tally('scanned')).toBe('3')

    // A reload keeps it too.
    await page.waitForTimeout(400) // the draft is written 300 ms after the last change
    await page.reload()
    await offer.waitFor()
    await page.keyboard.press('Enter')
    await expect.poll(() => tally('scanned')).toBe('3')
    expect(await page.locator('#op-orderRef').inputValue()).toBe('D-1')
    await snap(page, 'sell-draft-restored')
    await page.locator('#scan').focus()
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Sell: done' }).waitFor()
    expect((await lookupUnits(suite.server.db, 'S-5'))[0]).toMatchObject({ status: 'sold', orderRef: 'D-1' })
    // Sent: nothing is offered any more, and leaving asks nothing.
    dialogs.length = 0
    await page.goto(suite.server.url + '/sell')
    await page.locator('#scan').waitFor()
    expect(await offer.count()).toBe(0)
    expect(dialogs).toEqual([])
  })

  it('6: takes a scan wherever focus is: a Remove button, the page, the global box, the done page', async () => {
    await typeInto('#op-orderRef', 'F-1')
    await page.locator('#scan').focus()
    expect(await scanner('S-6')).toContain('S-6 added')
    await page.getByRole('button', { name: 'Remove S-6' }).focus()
    expect(await scanner('S-7')).toContain('S-7 added (#2)')
    expect(await page.locator('tr[data-serial="S-6"]').count()).toBe(1) // Enter did not press Remove
    expect(await focusedId()).toBe('scan')
    await page.getByRole('button', { name: 'Remove S-6' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('tr[data-serial="S-6"]').count()).toBe(0)
    expect(await focusedId()).toBe('scan')

    await page.evaluate(() => (globalThis as unknown as Browserish).document.activeElement?.blur())
    expect(await scanner('S-8')).toContain('S-8 added')
    await page.keyboard.press('F2')
    expect(await focusedId()).toBe('global-scan')
    expect(await scanner('S-9')).toContain('S-9 added (#3)')
    expect(await page.locator('#global-scan').inputValue()).toBe('')
    expect(page.url()).toBe(suite.server.url + '/sell')
    expect(await tally('scanned')).toBe('3')

    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Sell: done' }).waitFor()
    expect(await page.evaluate(() => (globalThis as unknown as Browserish).document.activeElement?.textContent)).toBe(
      'Next batch',
    )
    expect(await scanner('S-10')).toContain('S-10 added (#1)')
    expect(await tally('scanned')).toBe('1')

    // On the receipt's done page too.
    await openReceive('LAP')
    expect(await scanner('L-2')).toContain('L-2 added')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: /Receipt .* received/ }).waitFor()
    expect(await scanner('L-3')).toContain('L-3 added (#1)')
    expect(await tally('scanned')).toBe('1')

    // Elsewhere the global box still opens what a scanner sends.
    await page.goto(suite.server.url + '/stock')
    await page.locator('#global-scan').waitFor()
    await page.keyboard.press('F2')
    await page.keyboard.type('B-001')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('h1').textContent()).toContain('B-001')
  })

  it('7: sounds and shows every scan; the last refusal of a burst stays until a key is pressed', async () => {
    await page.goto(suite.server.url + '/sell')
    await typeInto('#op-orderRef', 'T-1')
    await page.locator('#scan').focus()
    await resetTones()
    for (const code of ['S-11', 'NOPE-1', 'S-12', `(01)${UNKNOWN_GTIN}(21)S-13`, `(01)${PHX_GTIN}(21)S-14`, 'S-15'])
      await scanner(code)
    expect(await tones()).toEqual(['ok', 'error', 'ok', 'wrong-sku', 'wrong-sku', 'ok'])
    expect(await feedback().textContent()).toContain('S-15 added')
    const last = page.getByTestId('last-refusal')
    expect(await last.textContent()).toContain('GTIN 09506000134352 is SKU PHX, but serial S-14 belongs to TAB')
    expect(await tally('refused')).toBe('3')
    await snap(page, 'sell-last-refusal')
    await page.waitForTimeout(200) // a person's key, not the tail of a burst
    await page.keyboard.press('ArrowDown')
    await last.waitFor({ state: 'detached' })
    expect(await tally('refused')).toBe('3')

    // The global box has its tones too.
    await page.goto(suite.server.url + '/stock')
    await page.locator('#global-scan').waitFor()
    await resetTones()
    for (const [code, ok] of [
      ['ZZZ-404', false],
      [`(01)${UNKNOWN_GTIN}(21)S-20`, false],
      ['S-20', true],
    ] as const) {
      await page.keyboard.press('F2')
      await page.keyboard.type(code)
      await page.keyboard.press('Enter')
      if (ok) await page.locator('[data-ready="unit"]').waitFor()
      else await page.locator('.scan-popover').waitFor()
      await page.keyboard.press('Escape')
    }
    expect(await tones()).toEqual(['error', 'wrong-sku', 'ok'])
  })
})
