/*
 * The recall wizard in a real browser: a manager types criteria and watches the live preview counts,
 * opens the recall and quarantines the stock in one go, lands on its progress page; a sale of a recalled
 * unit is then refused naming the recall. The defect-analysis chart and the claim page render too.
 */
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createParty } from '../../src/modules/parties/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { createDefectCode, inspect } from '../../src/modules/quality/index.js'
import { sell } from '../../src/modules/sales/index.js'
import { browserSuite, chromiumAvailable, seedPhonesAtWarehouse, snap } from './browser-harness.js'

describe.skipIf(!chromiumAvailable())('the recall wizard in Chromium', () => {
  const suite = browserSuite({
    users: { mona: 'manager' },
    seed: async ({ ctx }) => {
      await seedPhonesAtWarehouse(ctx, [
        { sku: 'PHX', lot: 'L-BAD', serials: ['R-1', 'R-2', 'R-3', 'R-4'] },
        { sku: 'PHX', lot: 'L-OK', serials: ['G-1', 'G-2'] },
      ])
      await createParty(ctx, { code: 'JANE', name: 'Jane Doe', role: 'customer' })
      await execute(ctx, sell, { actor: 'seed' }, { customer: 'JANE', orderRef: 'WEB-1', units: ['R-1'] })
      await createDefectCode(ctx, { code: 'BATTERY', name: 'battery swelling' })
      const fail = { units: ['R-2'], stage: 'receiving' as const, result: 'fail' as const, defectCodes: ['BATTERY'] }
      await execute(ctx, inspect, { actor: 'seed' }, fail)
    },
  })
  let manager: Page

  beforeAll(async () => {
    manager = await suite.signedIn('mona')
  })

  it('previews live, opens the recall and quarantines the stock, then shows its progress', async () => {
    await manager.goto(`${suite.server.url}/recalls/new`)
    await manager.getByLabel('Title').fill('Battery swelling, lot L-BAD')
    await manager.getByLabel('SKUs').fill('PHX')
    // Only the SKU: every unit matches.
    await expect.poll(() => manager.getByTestId('preview-message').textContent()).toContain('6 units match')
    await manager.getByLabel('Lots').fill('L-BAD')
    await expect.poll(() => manager.getByTestId('preview-message').textContent()).toContain('4 units match')
    expect(await manager.getByTestId('preview-in_stock').textContent()).toBe('3')
    expect(await manager.getByTestId('preview-sold').textContent()).toBe('1')
    await expect.poll(() => manager.getByRole('region', { name: 'Sold units' }).textContent()).toContain('Jane Doe')
    await snap(manager, 'recall-wizard')
    await manager.getByLabel('Lots').fill('NO-SUCH-LOT')
    await expect.poll(() => manager.locator('[role="alert"]').first().textContent()).toContain('no lots NO-SUCH-LOT')
    await manager.getByLabel('Lots').fill('L-BAD')
    await expect.poll(() => manager.getByTestId('preview-message').textContent()).toContain('4 units match')
    await manager.getByRole('button', { name: 'Open and quarantine stock' }).click()
    await manager.waitForURL(/\/recalls\/RCL-/)
    await expect.poll(() => manager.getByTestId('recall-status').textContent()).toBe('open')
    expect(await manager.getByTestId('status-quarantined').textContent()).toBe('3')
    expect(await manager.getByTestId('recall-resolved').textContent()).toContain('of 4')
    await snap(manager, 'recall-progress')

    const number = new URL(manager.url()).pathname.split('/').pop()!
    // The till's sale of a recalled unit, as this browser session sends it.
    const csrf = (await manager.context().cookies()).find((c) => c.name === 'sl_csrf')?.value ?? ''
    const answer = await manager.request.post(`${suite.server.url}/api/v1/sales`, {
      headers: { 'x-csrf-token': csrf },
      data: { customer: 'JANE', orderRef: 'WEB-2', units: ['R-3'] },
    })
    const refused = { status: answer.status(), body: await answer.text() }
    expect(refused.status).toBe(409)
    expect(refused.body).toContain(number)

    // The sold unit's customer could not be reached: one of four resolved.
    await manager.getByLabel('Serials', { exact: true }).fill('R-1')
    await manager.getByLabel('Outcome', { exact: true }).selectOption('unreachable')
    await manager.getByRole('button', { name: 'Record outcome' }).click()
    await expect.poll(() => manager.getByTestId('recall-resolved').textContent()).toContain('1 of 4')
    await manager.getByRole('button', { name: 'Close recall' }).click()
    await expect.poll(() => manager.getByTestId('recall-status').textContent()).toBe('closed')
  })

  it('inspects scanned units: a failure with its code quarantines them in one event', async () => {
    await manager.goto(`${suite.server.url}/inspect`)
    const scan = manager.getByLabel('Units')
    await scan.fill('G-1')
    await scan.press('Enter')
    await expect.poll(() => manager.getByTestId('scanned').textContent()).toContain('1 scanned: G-1')
    await manager.getByLabel('Result').selectOption('fail')
    await manager.getByLabel('BATTERY · battery swelling').check()
    await snap(manager, 'inspection')
    await manager.getByRole('button', { name: 'Record inspection' }).click()
    await expect.poll(() => manager.getByRole('status').first().textContent()).toContain('Recorded INS-')
    const unit = await suite.server.ctx.db.kysely
      .selectFrom('unit')
      .select('status')
      .where('serial', '=', 'G-1')
      .executeTakeFirstOrThrow()
    expect(unit.status).toBe('quarantined')
  })

  it('attaches a photo to an inspection (stored by its SHA-256, on the event), refusing a fake one', async () => {
    await manager.goto(`${suite.server.url}/inspect`)
    const scan = manager.getByLabel('Units')
    await scan.fill('G-2')
    await scan.press('Enter')
    const files = manager.locator('#inspection-files')
    const fake = { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('<html>not a photo</html>') }
    await files.setInputFiles(fake)
    await expect.poll(() => manager.locator('[role="alert"]').first().textContent()).toContain('fake.png is declared')
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a scratched case')])
    await files.setInputFiles({ name: 'case.jpg', mimeType: 'image/jpeg', buffer: photo })
    await expect.poll(() => manager.getByTestId('attachments').textContent()).toContain('case.jpg')
    await snap(manager, 'inspection-attachment')
    await manager.getByRole('button', { name: 'Record inspection' }).click()
    await expect.poll(() => manager.getByRole('status').first().textContent()).toContain('Recorded INS-')
    const event = await suite.server.ctx.db.kysely
      .selectFrom('event')
      .select('payload')
      .where('type', '=', 'inspected')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow()
    const sha256 = createHash('sha256').update(photo).digest('hex')
    expect(JSON.parse(event.payload).inspection.attachments).toEqual([
      { sha256, name: 'case.jpg', contentType: 'image/jpeg', size: photo.length },
    ])
  })

  it('charts the defect rates with their intervals', async () => {
    await manager.goto(`${suite.server.url}/defects`)
    await manager.getByTestId('defect-chart').locator('.recharts-bar-rectangle').first().waitFor()
    // The interval is drawn as an error bar on each rate.
    await manager.getByTestId('defect-chart').locator('.recharts-errorBar').first().waitFor()
    expect(await manager.getByRole('region', { name: 'Rates, the likely culprit first' }).textContent()).toContain(
      'ACME',
    )
    await snap(manager, 'defect-analysis')
  })
})
