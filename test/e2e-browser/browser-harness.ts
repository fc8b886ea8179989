/*
 * Real-browser test harness: Debian's Chromium driven by playwright-core, against the real server
 * (buildApp, listening on 127.0.0.1, a fresh SQLite file) serving the built web app.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { systemClock } from '../../src/core/clock.js'
import type { AppContext } from '../../src/core/context.js'
import { connect, type Db, migrateToLatest } from '../../src/db/connect.js'
import { buildApp } from '../../src/http/app.js'
import type { DisplaySettings } from '../../src/display-settings.js'
import { createUser, type Role } from '../../src/modules/accounts/index.js'
import { createSku } from '../../src/modules/catalog/index.js'
import { createLocation } from '../../src/modules/locations/index.js'
import { execute } from '../../src/modules/operations/index.js'
import { createParty } from '../../src/modules/parties/index.js'
import { receive, type ReceiveRequest } from '../../src/modules/receiving/index.js'
import type { ProofSettings } from '../../src/modules/proofs/index.js'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const WEB_ROOT = join(ROOT, 'dist', 'web')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const PASSWORD = 'browser-test-password'

/**
 * Whether the browser tests can run. Without Chromium they fail under CI (CI=true) and are skipped,
 * with a message saying how to install it, elsewhere.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true
  const msg =
    `Chromium not found at ${CHROMIUM}: install it with ` +
    '"apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH)'
  if (process.env.CI === 'true') throw new Error(`${msg}. Browser tests are required in CI.`)
  console.warn(`${msg}. Browser tests are SKIPPED.`)
  return false
}

function newestMtime(path: string): number {
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))))
}

/** Builds the web app (vite) when dist/web is missing or older than its sources. */
export function ensureWebBuilt(): void {
  const index = join(WEB_ROOT, 'index.html')
  // The web app imports pure modules from src/modules (the unit state machine, GS1 parsing, serial rules).
  const sources = Math.max(newestMtime(join(ROOT, 'web')), newestMtime(join(ROOT, 'src/modules')))
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(ROOT, 'web/vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  )
}

export interface TestServer {
  url: string
  db: Db
  ctx: AppContext
  app: FastifyInstance
  close(): Promise<void>
}

/** The real server on a fresh SQLite file, listening on 127.0.0.1 on a free port. */
export async function startTestServer(
  options: { proofs?: ProofSettings; display?: DisplaySettings } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-browser-'))
  const db = connect(`sqlite:${join(dir, 'e2e.db')}`)
  await migrateToLatest(db)
  const app = await buildApp({ db, clock: systemClock, proofs: options.proofs, display: options.display })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url,
    db,
    ctx: { db, clock: systemClock },
    app,
    close: async () => {
      await app.close()
      await db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The stock several browser files start from, made through the services: the serial SKU PHX (Phone X),
 * the warehouse WH and the supplier ACME, and a receipt of `lines` from ACME at WH.
 */
export async function seedPhonesAtWarehouse(ctx: AppContext, lines: ReceiveRequest['lines']): Promise<void> {
  await createSku(ctx, { code: 'PHX', name: 'Phone X', tracking: 'serial', cost: 400, price: 799 })
  await createLocation(ctx, { code: 'WH', name: 'Warehouse', level: 'site', kind: 'warehouse' })
  await createParty(ctx, { code: 'ACME', name: 'Acme', role: 'supplier' })
  await execute(ctx, receive, { actor: 'seed' }, { supplier: 'ACME', location: 'WH', lines })
}

export async function addUser(
  ctx: AppContext,
  username: string,
  role: Role,
  options: { mustChangePassword?: boolean } = {},
): Promise<string> {
  await createUser(ctx, 'browser-test', { username, password: PASSWORD, role, locations: [] }, options)
  return username
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  })
}

/** Signs in through the sign-in page; the one step every test runs first. */
export async function signIn(page: Page, baseUrl: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(baseUrl + '/')
  await page.getByLabel('User name').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('#global-scan').waitFor()
}

/** A phone's browser (390 × 844 CSS pixels, touch, a 2× screen), for the tests of the small-screen layout. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
}

/**
 * Types a code into a scan field the way a keyboard-wedge scanner does, then Enter, waits for that scan's
 * feedback line (its `data-n` counts the scans answered) and returns what it says.
 */
export async function wedgeScan(page: Page, field: string, code: string): Promise<string> {
  const feedback = page.getByTestId('scan-feedback')
  const before = Number(await feedback.getAttribute('data-n'))
  await page.locator(field).pressSequentially(code)
  await page.locator(field).press('Enter')
  await expect.poll(async () => Number(await feedback.getAttribute('data-n'))).toBeGreaterThan(before)
  return (await feedback.textContent()) ?? ''
}

/** Saves a screenshot when E2E_SCREENSHOTS names a folder (for looking at the pages). */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true })
}

/** One browser test file's world: its server, its Chromium, and pages in their own contexts. */
export interface BrowserSuite {
  readonly server: TestServer
  readonly browser: Browser
  /** A new page in a context of its own (own cookies); page errors are printed. */
  newPage(options?: BrowserContextOptions): Promise<Page>
  /** A new page (own context), signed in as the user. */
  signedIn(username: string, options?: BrowserContextOptions): Promise<Page>
}

/**
 * The set-up every browser test file shares, registered as its beforeAll/afterAll: builds the web app if
 * stale, starts the server (with `server` options), runs `seed` on it, adds `users` (name → role) and
 * launches Chromium; afterwards closes the browser and the server.
 */
export function browserSuite(
  setup: {
    server?: Parameters<typeof startTestServer>[0]
    seed?: (server: TestServer) => Promise<void>
    users?: Record<string, Role>
    timeoutMs?: number
  } = {},
): BrowserSuite {
  let server: TestServer | undefined
  let browser: Browser | undefined
  const suite: BrowserSuite = {
    get server() {
      if (!server) throw new Error('the browser suite has not started')
      return server
    },
    get browser() {
      if (!browser) throw new Error('the browser suite has not started')
      return browser
    },
    async newPage(options = { viewport: { width: 1280, height: 900 } }) {
      const page = await (await suite.browser.newContext(options)).newPage()
      page.on('pageerror', (e) => console.error('page error:', e))
      return page
    },
    async signedIn(username, options) {
      const page = await suite.newPage(options)
      await signIn(page, suite.server.url, username)
      return page
    },
  }
  beforeAll(async () => {
    ensureWebBuilt()
    server = await startTestServer(setup.server)
    await setup.seed?.(server)
    for (const [name, role] of Object.entries(setup.users ?? {})) await addUser(server.ctx, name, role)
    browser = await launchChromium()
  }, setup.timeoutMs ?? 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  return suite
}
