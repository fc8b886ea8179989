/*
 * Accounts in a real browser, keyboard only (issue 11, item 16): a user the admin creates must choose
 * their own password at first sign-in, as the Users form says; the admin changes a role and locations
 * and resets a password from the Users page (the user must change it again); the auditor runs the
 * ledger check and reads the admin log on a screen of their own.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { receive } from '../../src/modules/receiving/index.js'
import { browserSuite, chromiumAvailable, PASSWORD, snap } from './browser-harness.js'

describe.skipIf(!chromiumAvailable())('accounts and the audit screen in Chromium', () => {
  let page: Page

  const suite = browserSuite({
    users: { root: 'admin', audrey: 'auditor' },
    seed: async (server) => {
      await createLocation(server.ctx, { code: 'STORE-A', name: 'Store A', level: 'site', kind: 'store' })
      await createSku(server.ctx, { code: 'PHX', name: 'Phone X', tracking: 'serial' })
      await createParty(server.ctx, { code: 'ACME', name: 'Acme', role: 'supplier' })
      await execute(
        server.ctx,
        receive,
        { actor: 'browser-test' },
        {
          supplier: 'ACME',
          location: 'STORE-A',
          lines: [{ sku: 'PHX', serials: ['A-1', 'A-2'] }],
        },
      )
    },
  })
  beforeAll(async () => {
    page = await suite.newPage()
  })

  /** Signs in with the keyboard only: type the name, Tab, type the password, Enter. */
  async function signInByKeyboard(username: string, password: string) {
    await page.goto(suite.server.url + '/')
    await page.getByLabel('User name').focus()
    await page.keyboard.type(username)
    await page.keyboard.press('Tab')
    await page.keyboard.type(password)
    await page.keyboard.press('Enter')
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  }

  /** On the forced "Choose your password" page: current, new, again, Enter; then the app opens. */
  async function chooseOwnPassword(current: string, next: string) {
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor()
    await page.getByLabel('Current password').focus()
    await page.keyboard.type(current)
    for (const value of [next, next]) {
      await page.keyboard.press('Tab')
      await page.keyboard.type(value)
    }
    await page.keyboard.press('Enter')
    await page.locator('#global-scan').waitFor()
  }

  const userRow = (username: string) => page.getByRole('row').filter({ hasText: username })

  it('a user the admin creates must choose their own password at first sign-in', async () => {
    await signInByKeyboard('root', PASSWORD)
    await page.locator('#global-scan').waitFor()
    await page.goto(suite.server.url + '/users')
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor()
    await page.getByLabel('User name').focus()
    await page.keyboard.type('clara')
    await page.keyboard.press('Tab')
    await page.keyboard.type('clara-one-time-pw')
    await page.keyboard.press('Enter')
    await expect.poll(() => userRow('clara').textContent()).toContain('must set password')
    await snap(page, 'users-created')
    await signOut()

    await signInByKeyboard('clara', 'clara-one-time-pw')
    await chooseOwnPassword('clara-one-time-pw', 'clara-own-password')
    expect(await page.locator('.nav-user').textContent()).toContain('clara (clerk)')
    await signOut()
  })

  it('the admin changes a role and locations and resets a password from the Users page', async () => {
    await signInByKeyboard('root', PASSWORD)
    await page.locator('#global-scan').waitFor()
    await page.goto(suite.server.url + '/users')
    await expect.poll(() => userRow('clara').textContent()).toContain('active')
    await page.getByRole('button', { name: 'Edit clara' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Edit clara' }).waitFor()
    await page.locator('#edit-role').focus()
    await page.keyboard.press('ArrowDown') // clerk → manager
    expect(await page.locator('#edit-role').inputValue()).toBe('manager')
    await page.keyboard.press('Tab')
    await page.keyboard.type('STORE-A')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).textContent())
      .toContain('clara is now manager, STORE-A')
    await expect.poll(() => userRow('clara').textContent()).toMatch(/clara\s*manager\s*STORE-A/)

    await page.locator('#edit-password').focus()
    await page.keyboard.type('clara-reset-password')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Password reset' }).textContent())
      .toContain('clara must choose a new password at the next sign-in')
    await expect.poll(() => userRow('clara').textContent()).toContain('must set password')
    await snap(page, 'users-edited')
    await signOut()

    await signInByKeyboard('clara', 'clara-reset-password')
    await chooseOwnPassword('clara-reset-password', 'clara-second-password')
    expect(await page.locator('.nav-user').textContent()).toContain('clara (manager)')
    await signOut()
  })

  it('the auditor runs the ledger check and reads the admin log', async () => {
    await signInByKeyboard('audrey', PASSWORD)
    await page.locator('#global-scan').waitFor()
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0)
    await nav.getByRole('link', { name: 'Ledger check' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Ledger check', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Run ledger check' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('check-ok').textContent()).toContain('Ledger verified: 1 event,')
    const log = page.getByTestId('admin-log')
    await expect.poll(() => log.textContent()).toContain('user.role_changed')
    const text = (await log.textContent()) ?? ''
    expect(text).toContain('user.created')
    expect(text).toContain('user.password_changed')
    expect(text).toMatch(/root\s*user\.role_changed\s*clara\s*locations: STORE-A; role: manager/)
    await snap(page, 'audit')
  })
})
