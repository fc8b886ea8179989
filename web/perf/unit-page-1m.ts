/*
 * Web UI timings on a ledger of 1,000,000 units, in Chromium:
 *  - time to interactive of the unit page (cold load of /units/:id until the page shows the unit, timeline
 *    and provenance);
 *  - opening a unit from the global scan box (Enter → unit page shown);
 *  - Enter → feedback of a scan in the Sell batch (lookup against 1M units + state check), driven in the page
 *    like a keyboard wedge.
 * Usage: npx tsx web/perf/unit-page-1m.ts [units=1000000]   (the ledger is built once under /tmp/sl-perf-N)
 */
import { existsSync, mkdirSync } from 'node:fs'
import { systemClock } from '../../src/core/clock.js'
import { connect, migrateToLatest } from '../../src/db/connect.js'
import { buildApp } from '../../src/http/app.js'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { createParty } from '../../src/modules/parties/parties.js'
import { receiveCommandOf, receiveUnits } from '../../src/modules/receiving/index.js'
import { createUser } from '../../src/modules/accounts/index.js'
import { ensureWebBuilt, launchChromium, PASSWORD, signIn } from '../../test/e2e-browser/browser-harness.js'

const N = Number(process.argv[2] ?? 1_000_000)
const width = String(N).length
const dir = `/tmp/sl-perf-${N}`
const fresh = !existsSync(`${dir}/perf.db`)
mkdirSync(dir, { recursive: true })
const db = connect(`sqlite:${dir}/perf.db`, { sqliteSynchronous: 'NORMAL' })
await migrateToLatest(db)
const ctx = { db, clock: systemClock }
if (fresh) {
  await createSku(ctx, { code: 'U', name: 'Unit phone', tracking: 'serial', cost: 100, price: 200, warrantyMonths: 12 })
  await createLocation(ctx, { code: 'WH', name: 'Warehouse', kind: 'warehouse' })
  await createParty(ctx, { code: 'SUP', name: 'Supplier', role: 'supplier' })
  await createUser(ctx, 'perf', { username: 'perf', password: PASSWORD, role: 'manager', locations: [] })
  const t = performance.now()
  const req = {
    supplier: 'SUP',
    location: 'WH',
    number: 'R-BIG',
    lines: [{ sku: 'U', range: `U-{${'1'.padStart(width, '0')}..${N}}` }],
  }
  await receiveUnits(ctx, { actor: 'perf', request: req }, receiveCommandOf(req))
  console.log(`built a ledger of ${N} units in ${((performance.now() - t) / 1000).toFixed(1)} s`)
}
ensureWebBuilt()
const app = await buildApp({ db, clock: systemClock })
const url = await app.listen({ host: '127.0.0.1', port: 0 })
const browser = await launchChromium()
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
// Records when the unit page is complete (unit, provenance and timeline rendered), in page time.
await context.addInitScript(() => {
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-ready="unit"] [data-testid="timeline"] tbody tr')) {
      ;(window as any).__unitReady = performance.now()
      obs.disconnect()
    }
  }).observe(document, { childList: true, subtree: true })
})
await context.addInitScript(() => {
  const orig = window.fetch
  ;(window as any).__fetchT = []
  window.fetch = async (...a: Parameters<typeof fetch>) => {
    const t = performance.now()
    const r = await orig(...a)
    ;(window as any).__fetchT.push([String(a[0]).slice(0, 30), performance.now() - t, performance.now()])
    return r
  }
})
const page = await context.newPage()
await signIn(page, url, 'perf')
const mid = `U-${String(Math.ceil(N / 2)).padStart(width, '0')}`
const id = (await (await page.request.get(`${url}/api/v1/units/lookup?code=${mid}`)).json())[0].id as string

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return (
    `median ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms, p95 ${s[Math.floor(s.length * 0.95)]!.toFixed(0)} ms, ` +
    `min ${s[0]!.toFixed(0)} ms (n=${s.length})`
  )
}

// 1. Cold load of the unit page: navigation start → unit, provenance and timeline on screen.
const tti: number[] = []
const dcl: number[] = []
for (let i = 0; i < 10; i++) {
  await page.goto(`${url}/units/${id}`)
  await page.waitForFunction(() => (window as any).__unitReady !== undefined)
  tti.push(await page.evaluate(() => (window as any).__unitReady as number))
  dcl.push(
    await page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
    ),
  )
}
console.log(`unit page, cold load to interactive (${N} units): ${stat(tti)}; DOMContentLoaded ${stat(dcl)}`)

// 2. Global scan box → unit page (in-app navigation), driven inside the page.
const open: number[] = []
for (let i = 0; i < 10; i++) {
  const serial = `U-${String(1 + Math.floor(Math.random() * N)).padStart(width, '0')}`
  await page.goto(`${url}/stock?x=${i}`)
  await page.locator('#global-scan').waitFor()
  open.push(
    await page.evaluate(async (serial) => {
      const input = document.getElementById('global-scan') as HTMLInputElement
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
      setter.call(input, serial)
      input.dispatchEvent(new Event('input', { bubbles: true }))
      const t0 = performance.now()
      input.form!.requestSubmit()
      while (!(
        document.querySelector(`[data-ready="unit"] [data-testid="timeline"] tbody tr`) &&
        document.querySelector('h1')?.textContent?.includes(serial)
      ))
        await new Promise((r) => requestAnimationFrame(r))
      return performance.now() - t0
    }, serial),
  )
}
console.log(`global scan → unit page shown: ${stat(open)}`)

// 3. Scans into a Sell batch, typed into the field and Enter dispatched in the page (no CDP round trip per key).
await page.goto(`${url}/sell`)
await page.locator('#op-orderRef').fill('PERF-1')
await page.locator('#scan').focus()
const scans = await page.evaluate(
  async ({ N, width }) => {
    window.__slScanTimings = []
    window.__slScanPaint = []
    const input = document.getElementById('scan') as HTMLInputElement
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
    const fb = document.querySelector('[data-testid="scan-feedback"]')!
    for (let i = 0; i < 60; i++) {
      const n = Number(fb.getAttribute('data-n'))
      const code = i % 10 === 9 ? `NOPE-${i}` : `U-${String(1 + Math.floor(Math.random() * N)).padStart(width, '0')}`
      setter.call(input, code)
      input.dispatchEvent(new Event('input', { bubbles: true }))
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
      while (Number(fb.getAttribute('data-n')) <= n) await new Promise((r) => setTimeout(r, 0))
      await new Promise((r) => setTimeout(r, 20))
    }
    return [window.__slScanTimings!, window.__slScanPaint!]
  },
  { N, width },
)
const ft = await page.evaluate(() => (window as any).__fetchT as [string, number, number][])
console.log(
  'fetches during scans:',
  stat(
    ft
      .filter((f) => f[0].includes('lookup'))
      .map((f) => f[1])
      .slice(-50),
  ),
)
console.log(`scan Enter → feedback in the DOM (sell batch, lookup over ${N} units): ${stat(scans[0]!.slice(5))}`)
console.log(`scan Enter → frame painting the feedback: ${stat(scans[1]!.slice(5))}`)
await browser.close()
await app.close()
await db.close()
