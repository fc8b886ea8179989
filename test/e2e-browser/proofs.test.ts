/*
 * The ledger proofs page in Chromium: an auditor makes a checkpoint, sees it and the public key, and
 * downloads a unit's evidence pack, which the offline verifier accepts with that key.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureSigningKey, parsePublicKey, verifyPack } from '../../src/modules/proofs/index.js'
import { givens } from '../factories.js'
import { browserSuite, chromiumAvailable, signIn, snap } from './browser-harness.js'

describe.skipIf(!chromiumAvailable())('ledger proofs page in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-browser-proofs-'))
  const proofs = { signingKeyFile: join(dir, 'key.pem'), witness: join(dir, 'witness') }
  ensureSigningKey(proofs.signingKeyFile)
  let page: Page
  let receipt: string

  const suite = browserSuite({
    server: { proofs },
    users: { auditor1: 'auditor' },
    seed: async (server) => {
      const g = givens(server.ctx)
      const sku = await g.sku({ code: 'PHX' })
      const site = await g.site({ code: 'WH', kind: 'warehouse' })
      const supplier = await g.supplier()
      ;({ number: receipt } = await g.receipt({
        supplier: supplier.code,
        location: site.code,
        lines: [{ sku: sku.code, serials: ['SN-1', 'SN-2'] }],
      }))
    },
  })
  beforeAll(async () => {
    page = await suite.newPage({ acceptDownloads: true })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('makes a checkpoint, shows it with the public key, and downloads a pack that verifies offline', async () => {
    await signIn(page, suite.server.url, 'auditor1')
    await page.getByRole('link', { name: 'Ledger proofs' }).click()
    await page.getByText('No checkpoint has been made yet.').waitFor()
    await page.getByRole('button', { name: 'Make checkpoint now' }).click()
    await page.getByText('Events covered').waitFor()
    const pem = await page.getByLabel('Public key (PEM)').textContent()
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
    await page.locator('#pack-serial').fill('sn-2')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download evidence pack' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('evidence-SN-2.json')
    const pack = JSON.parse(readFileSync((await download.path())!, 'utf8'))
    expect(verifyPack(pack, parsePublicKey(pem!))).toMatchObject({ ok: true, problems: [] })
    await page.getByText(/Pack of SN-2: 1 events/).waitFor()
    await snap(page, 'proofs')
    // The receipt prints the checkpoint that covers it.
    await page.goto(`${suite.server.url}/documents/receipt/${encodeURIComponent(receipt)}`)
    await page.getByText(/Covered by the checkpoint of 1 events signed/).waitFor()
  })
})
