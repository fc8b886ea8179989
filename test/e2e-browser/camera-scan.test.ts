/*
 * Camera scanning in Chromium: the scan field's Camera button reads a GS1 DataMatrix through zxing-wasm
 * (its WebAssembly served by our server, no other host contacted) from a camera faked with a canvas
 * stream showing the label, and adds the unit; without camera permission the field says so and works on.
 */
import { describe, expect, it } from 'vitest'
import bwipjs from 'bwip-js'
import type { Page } from 'playwright-core'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { receive } from '../../src/modules/receiving/index.js'
import { browserSuite, chromiumAvailable, signIn, snap } from './browser-harness.js'

const GTIN = '04006381333931'

/** Replaces getUserMedia: a canvas stream painting `png`, or a refusal as a browser without permission gives. */
const fakeCamera = (png: string | undefined) => `
  navigator.mediaDevices.getUserMedia = async () => {
    ${png === undefined ? "throw new DOMException('Permission denied', 'NotAllowedError')" : ''}
    const img = new Image()
    img.src = ${JSON.stringify(png ?? '')}
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = 640
    canvas.height = 480
    const ctx = canvas.getContext('2d')
    const paint = () => {
      ctx.fillStyle = '#fff'
      ctx.fillRect(0, 0, 640, 480)
      ctx.drawImage(img, 170, 90, 300, 300)
    }
    paint()
    setInterval(paint, 100)
    return canvas.captureStream(10)
  }`

describe.skipIf(!chromiumAvailable())('camera scanning in Chromium', () => {
  const suite = browserSuite({
    users: { cara: 'clerk' },
    seed: async ({ ctx }) => {
      await createSku(ctx, { code: 'PHX', name: 'Phone X', tracking: 'serial', gtin: GTIN, cost: 400, price: 799 })
      await createLocation(ctx, { code: 'ST', name: 'Store', level: 'site', kind: 'store' })
      await createLocation(ctx, { code: 'ST2', name: 'Store 2', level: 'site', kind: 'store' })
      await createParty(ctx, { code: 'ACME', name: 'Acme', role: 'supplier' })
      const request = { supplier: 'ACME', location: 'ST', lines: [{ sku: 'PHX', serials: ['CAM-1'] }] }
      await execute(ctx, receive, { actor: 'seed', request }, request)
    },
  })
  const requested: string[] = []

  async function pageWith(camera: string): Promise<Page> {
    const page = await suite.newPage({ viewport: { width: 1000, height: 900 } })
    page.on('console', (m) => console.error('console:', m.text()))
    page.on('request', (r) => requested.push(r.url()))
    await page.addInitScript(camera)
    await signIn(page, suite.server.url, 'cara')
    return page
  }

  it('reads a GS1 DataMatrix from the camera into the move batch, with the decoder served by us', async () => {
    const png = await bwipjs.toBuffer({
      bcid: 'gs1datamatrix',
      text: `(01)${GTIN}(21)CAM-1`,
      scale: 6,
      padding: 6,
      backgroundcolor: 'FFFFFF',
    })
    const page = await pageWith(fakeCamera(`data:image/png;base64,${png.toString('base64')}`))
    await page.goto(suite.server.url + '/move')
    await page.getByRole('button', { name: 'Camera' }).first().click()
    await expect.poll(() => page.locator('body').textContent(), { timeout: 20_000 }).toContain('CAM-1 added')
    await snap(page, 'camera-scan')
    const wasm = requested.filter((u) => u.endsWith('.wasm'))
    expect(wasm.length).toBeGreaterThan(0)
    for (const u of wasm) expect(u.startsWith(`${suite.server.url}/assets/zxing_reader-`)).toBe(true)
    const foreign = requested.filter((u) => !u.startsWith(suite.server.url) && !/^(data|blob):/.test(u))
    expect(foreign).toEqual([])
  })

  it('says so when the camera permission is refused, and the field still takes a typed serial', async () => {
    const page = await pageWith(fakeCamera(undefined))
    await page.goto(suite.server.url + '/move')
    await page.getByRole('button', { name: 'Camera' }).first().click()
    await page.getByText('Camera permission was not given').waitFor()
    await page.locator('#scan').pressSequentially('CAM-1')
    await page.locator('#scan').press('Enter')
    await expect.poll(() => page.locator('body').textContent()).toContain('CAM-1 added')
    await snap(page, 'camera-denied')
  })

  it('the header search reads a barcode by camera and opens the unit; without permission it says so', async () => {
    const png = await bwipjs.toBuffer({ bcid: 'gs1datamatrix', text: `(01)${GTIN}(21)CAM-1`, scale: 6, padding: 6 })
    const page = await pageWith(fakeCamera(`data:image/png;base64,${png.toString('base64')}`))
    await page.getByRole('button', { name: 'Scan a barcode to find its unit' }).click()
    await expect.poll(() => page.url(), { timeout: 20_000 }).toContain('/units/')
    await page.getByRole('heading', { level: 1, name: /CAM-1/ }).waitFor()
    await snap(page, 'camera-header-found')
    const denied = await pageWith(fakeCamera(undefined))
    await denied.getByRole('button', { name: 'Scan a barcode to find its unit' }).click()
    await denied.getByText('Camera permission was not given').waitFor()
    await denied.locator('#global-scan').fill('CAM-1')
    await denied.locator('#global-scan').press('Enter')
    await expect.poll(() => denied.url()).toContain('/units/')
    await snap(denied, 'camera-header-denied')
  })

  it("prints a unit's label from its page: the Print labels link answers a PDF", async () => {
    const page = await pageWith(fakeCamera(undefined))
    const unit = await suite.server.ctx.db.kysely
      .selectFrom('unit')
      .select('id')
      .where('serial', '=', 'CAM-1')
      .executeTakeFirstOrThrow()
    await page.goto(`${suite.server.url}/units/${unit.id}`)
    await page.getByRole('link', { name: 'Print labels' }).waitFor()
    await page.getByLabel('Label layout').selectOption('jewelry-dumbbell')
    const href = await page.getByRole('link', { name: 'Print labels' }).getAttribute('href')
    expect(href).toBe('/api/v1/labels?serials=CAM-1&format=pdf&layout=jewelry-dumbbell&symbol=datamatrix')
    const res = await page.request.get(suite.server.url + href!)
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toBe('application/pdf')
    expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-')
    await snap(page, 'unit-print-labels')
  })
})
