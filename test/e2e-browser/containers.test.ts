/*
 * Containers in a real browser: pack scanned units into a box named by its SSCC label, see its contents,
 * then on the move screen scan the box's SSCC: its contents are added and move in one event; ship the box on
 * a transfer and, on the receive-transfer screen, scan its SSCC: its contents arrive in one event.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { gs1CheckDigit } from '../../src/modules/gs1/ai.rules.js'
import { verifyLedger } from '../../src/modules/ledger/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { shipTransfer } from '../../src/modules/movements/index.js'
import { rowCount } from '../factories.js'
import { browserSuite, chromiumAvailable, seedPhonesAtWarehouse, snap } from './browser-harness.js'

const SSCC = '10614141000000123'.slice(0, 17) + gs1CheckDigit('10614141000000123'.slice(0, 17))

describe.skipIf(!chromiumAvailable())('containers in Chromium', () => {
  const suite = browserSuite({
    users: { mona: 'manager' },
    seed: async ({ ctx }) => {
      await seedPhonesAtWarehouse(ctx, [{ sku: 'PHX', serials: ['B-1', 'B-2', 'B-3'] }])
      await createLocation(ctx, { code: 'WH-Z1', name: 'Zone 1', level: 'zone', parent: 'WH' })
      await createLocation(ctx, { code: 'ST', name: 'Store', level: 'site', kind: 'store' })
    },
  })
  let page: Page

  beforeAll(async () => {
    page = await suite.signedIn('mona')
  })

  const where = (serial: string) =>
    suite.server.ctx.db.kysely
      .selectFrom('unit')
      .innerJoin('location', 'location.id', 'unit.location_id')
      .select(['location.code', 'unit.container_code'])
      .where('unit.serial', '=', serial)
      .executeTakeFirstOrThrow()

  it('packs scanned units into a box named by its SSCC label', async () => {
    await page.getByRole('link', { name: 'Containers', exact: true }).first().click()
    await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor()
    await page.locator('#container-code').fill(`(00)${SSCC}`)
    await page.getByText('New container: packing creates it.').waitFor()
    for (const s of ['B-1', 'B-2']) {
      await page.locator('#pack-scan').fill(s)
      await page.locator('#pack-scan').press('Enter')
      await page.getByRole('list', { name: 'Units to pack' }).getByText(s).waitFor()
    }
    await page.getByRole('button', { name: 'Pack 2 units' }).click()
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain(`Container ${SSCC}: 2 units at WH`)
    expect(await page.getByRole('list', { name: 'Contents' }).textContent()).toMatch(/B-1.*B-2/)
    await snap(page, 'containers-packed')
    expect(await where('B-1')).toMatchObject({ container_code: SSCC })
  })

  it('on the move screen, scanning the SSCC adds its contents and moves them in one event', async () => {
    await page.getByRole('link', { name: 'Move', exact: true }).first().click()
    await page.locator('#op-to').fill('WH-Z1')
    await page.locator('#scan').focus()
    await page.locator('#scan').pressSequentially(`(00)${SSCC}`)
    await page.locator('#scan').press('Enter')
    await expect.poll(() => page.getByTestId('scan-feedback').textContent()).toContain(SSCC)
    expect(await page.locator('body').textContent()).toContain(`Container ${SSCC}: 2 units at WH`)
    await page.getByRole('button', { name: 'Move 2 units' }).waitFor()
    await snap(page, 'containers-move-scan')
    const events = await rowCount(suite.server.ctx.db.kysely, 'event')
    await page.keyboard.press('Control+Enter')
    await page.locator('.success-box').waitFor()
    expect(await page.locator('.success-box').textContent()).toContain('2 units')
    await snap(page, 'containers-moved')
    for (const s of ['B-1', 'B-2']) expect(await where(s)).toMatchObject({ code: 'WH-Z1', container_code: SSCC })
    expect(await where('B-3')).toMatchObject({ code: 'WH', container_code: null })
    const after = await rowCount(suite.server.ctx.db.kysely, 'event')
    expect(after).toBe(events + 1)
    expect(await verifyLedger(suite.server.ctx.db)).toVerify()
  })

  it('on the receive-transfer screen, the SSCC scan selects its contents and receives them in one event', async () => {
    await execute(
      suite.server.ctx,
      shipTransfer,
      { actor: 'mona' },
      { from: 'WH', to: 'ST', number: 'TRF-B', containers: [SSCC] },
    )
    const count = async () =>
      Number(
        (
          await suite.server.ctx.db.kysely
            .selectFrom('event')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    await page.goto(suite.server.url + '/transfer/receive')
    await page.locator('#op-number').fill('TRF-B')
    await page.locator('#scan').focus()
    // A unit still in stock is not on the transfer; the box's SSCC label (GS1-128, ]C1) is.
    await page.locator('#scan').pressSequentially('B-3')
    await page.locator('#scan').press('Enter')
    await expect.poll(() => page.getByTestId('scan-feedback').textContent()).toContain('cannot receive')
    await page.locator('#scan').pressSequentially(`]C100${SSCC}`)
    await page.locator('#scan').press('Enter')
    await expect.poll(() => page.getByTestId('scan-feedback').textContent()).toContain(SSCC)
    expect(await page.locator('body').textContent()).toContain(`Container ${SSCC}: 2 units in transit`)
    await page.getByRole('button', { name: 'Receive 2 units' }).waitFor()
    await snap(page, 'containers-receive-scan')
    const events = await count()
    await page.keyboard.press('Control+Enter')
    await page.getByRole('heading', { name: 'Receive a transfer: done' }).waitFor()
    expect(await page.locator('.success-box').textContent()).toContain('2 units')
    for (const s of ['B-1', 'B-2']) expect(await where(s)).toMatchObject({ code: 'ST', container_code: SSCC })
    expect(await count()).toBe(events + 1)
    expect(await verifyLedger(suite.server.ctx.db)).toVerify()
  })
})
