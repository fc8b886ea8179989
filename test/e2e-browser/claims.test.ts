/*
 * Supplier claims and quarantine release in a real browser: a manager pastes serials into a new claim,
 * ships the units back to the supplier, moves the claim on to credited (a credit without its amount is
 * refused on screen), finds it in the claims list (filtered by status, by keyboard) and opens it from
 * there; then scans a quarantined unit into the release screen and releases it with a reason.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { execute } from '../../src/modules/operations/index.js'
import { openClaim, quarantine } from '../../src/modules/quality/index.js'
import { browserSuite, chromiumAvailable, seedPhonesAtWarehouse, snap } from './browser-harness.js'

describe.skipIf(!chromiumAvailable())('supplier claims and quarantine release in Chromium', () => {
  const suite = browserSuite({
    users: { mona: 'manager' },
    seed: async ({ ctx }) => {
      await seedPhonesAtWarehouse(ctx, [{ sku: 'PHX', serials: ['C-1', 'C-2', 'C-3', 'Q-1'] }])
      await execute(ctx, quarantine, { actor: 'seed' }, { units: ['Q-1'], reason: 'supplier warning' })
    },
  })
  let manager: Page
  const statusOf = async (serial: string) =>
    (
      await suite.server.ctx.db.kysely
        .selectFrom('unit')
        .select('status')
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow()
    ).status

  beforeAll(async () => {
    manager = await suite.signedIn('mona')
  })

  let credited = ''

  it('opens a claim for pasted serials, ships them back and takes it to credited', async () => {
    await manager.goto(`${suite.server.url}/claims`)
    await manager.getByRole('heading', { name: 'Supplier claims' }).waitFor({ timeout: 10_000 })
    await manager.getByRole('link', { name: 'New claim' }).click()
    await manager.getByRole('heading', { name: 'New supplier claim' }).waitFor()
    await manager.locator('#claim-supplier').fill('ACME')
    await manager.getByLabel('Units').fill('C-1, C-2\nC-1')
    await expect.poll(() => manager.getByTestId('claim-scanned').textContent()).toBe('2 units')
    await manager.getByLabel('Reason').fill('dead on arrival')
    await manager.getByLabel('Supplier case (RMA)').fill('RMA-77')
    await snap(manager, 'claim-new')
    await manager.getByRole('button', { name: 'Open claim' }).click()
    await manager.waitForURL(/\/claims\/CLM-/)
    await expect.poll(() => manager.getByTestId('claim-status').textContent()).toBe('open')
    credited = decodeURIComponent(new URL(manager.url()).pathname.split('/').pop()!)

    await manager.getByRole('button', { name: 'Ship 2 units back to the supplier' }).click()
    await expect.poll(() => manager.getByTestId('unit-C-1').textContent()).toBe('returned to vendor')
    expect(await statusOf('C-2')).toBe('returned_to_vendor')
    expect(await statusOf('C-3')).toBe('in_stock')

    for (const status of ['sent', 'accepted']) {
      await manager.getByLabel('New status').selectOption(status)
      await manager.getByRole('button', { name: 'Change status' }).click()
      await expect.poll(() => manager.getByTestId('claim-status').textContent()).toBe(status)
    }
    // Credited without the supplier's credit note: refused, with the reason on screen.
    await manager.getByLabel('Credited amount').fill('120.50')
    await manager.getByRole('button', { name: 'Change status' }).click()
    await expect
      .poll(() => manager.getByRole('form', { name: 'Claim status' }).locator('[role="alert"]').textContent())
      .toContain('creditNote')
    expect(await manager.getByTestId('claim-status').textContent()).toBe('accepted')
    await manager.getByLabel('Credit note').fill('CN-9')
    await manager.getByRole('button', { name: 'Change status' }).click()
    await expect.poll(() => manager.getByTestId('claim-status').textContent()).toBe('credited')
    expect(await manager.getByTestId('claim-credited').textContent()).toBe('120.5 (CN-9)')
    expect(await manager.getByRole('region', { name: 'History' }).textContent()).toContain('credited')
    await snap(manager, 'claim-credited')
  })

  it('lists the claims, filters them by status with the keyboard and opens one from the list', async () => {
    // A second claim, still open, so that the status filter has something to leave out.
    const other = await execute(
      suite.server.ctx,
      openClaim,
      { actor: 'seed' },
      { supplier: 'ACME', units: ['C-3'], reason: 'scratched' },
    )
    await manager.goto(`${suite.server.url}/claims`)
    const table = manager.getByRole('region', { name: 'Claims' })
    await expect.poll(() => table.getByRole('row').count()).toBe(3)
    const rowOf = (n: string) =>
      table.getByRole('row').filter({ has: manager.getByRole('link', { name: n, exact: true }) })
    const row = rowOf(credited)
    expect(await row.textContent()).toContain('credited')
    expect(await row.textContent()).toContain('2 (2 shipped)')
    expect(await row.textContent()).toContain('CN-9')
    expect(await rowOf(other.result.number).textContent()).toContain('open')
    // Keyboard only: the status filter, applied with Enter, then Tab to the claim's link and Enter.
    await manager.getByLabel('Status').focus()
    await manager.getByLabel('Status').selectOption('credited')
    await manager.getByRole('button', { name: 'Apply filters' }).focus()
    await manager.keyboard.press('Enter')
    await manager.waitForURL(/status=credited/)
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    await snap(manager, 'claims-list')
    const link = table.getByRole('link', { name: credited, exact: true })
    await link.focus()
    await manager.keyboard.press('Enter')
    await manager.waitForURL(new RegExp(`/claims/${credited}$`))
    await expect.poll(() => manager.getByTestId('claim-status').textContent()).toBe('credited')
    // Back keeps the list's filter.
    await manager.goBack()
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    expect(await manager.getByLabel('Status').inputValue()).toBe('credited')
  })

  it('refuses a claim naming a unit of another supplier, writing nothing', async () => {
    await manager.goto(`${suite.server.url}/claims/new`)
    await manager.getByRole('heading', { name: 'New supplier claim' }).waitFor({ timeout: 10_000 })
    await manager.locator('#claim-supplier').fill('ACME')
    await manager.getByLabel('Units').fill('NOPE-1')
    await manager.getByLabel('Reason').fill('dead on arrival')
    await manager.getByRole('button', { name: 'Open claim' }).click()
    await expect.poll(() => manager.locator('[role="alert"]').first().textContent()).toContain('NOPE-1')
    expect(manager.url()).toMatch(/\/claims\/new$/)
  })

  it('releases a quarantined unit: scanned first, a reason required', async () => {
    const feedback = () => manager.getByTestId('scan-feedback')
    const scan = async (code: string) => {
      const before = Number(await feedback().getAttribute('data-n'))
      await manager.locator('#scan').pressSequentially(code)
      await manager.locator('#scan').press('Enter')
      await expect.poll(async () => Number(await feedback().getAttribute('data-n'))).toBeGreaterThan(before)
      return (await feedback().textContent()) ?? ''
    }
    await manager.goto(`${suite.server.url}/release`)
    await manager.getByRole('heading', { name: 'Release from quarantine' }).waitFor()
    // Not quarantined: refused by the state machine at the scan, before anything is sent.
    expect(await scan('C-3')).toContain('C-3 is in stock')
    expect(await scan('Q-1')).toContain('Q-1 added')
    // The reason is required: without one, nothing is sent.
    await manager.keyboard.press('Control+Enter')
    expect(await statusOf('Q-1')).toBe('quarantined')
    await manager.locator('#op-reason').fill('cleared by QA')
    await snap(manager, 'release')
    await manager.locator('#scan').focus()
    await manager.keyboard.press('Control+Enter')
    await manager.getByRole('heading', { name: 'Release from quarantine: done' }).waitFor()
    expect(await statusOf('Q-1')).toBe('in_stock')
    expect(await statusOf('C-3')).toBe('in_stock')
    await snap(manager, 'release-done')
  })
})
